import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repository = fileURLToPath(new URL("../../../", import.meta.url));
export const presetsDir = join(repository, "mappings");
export const examplesDir = join(repository, "examples/mappings");

/** An Order Completed track call of about 1.5 KB, shaped like analytics.js sends it. */
export const orderCompleted = {
  type: "track",
  event: "Order Completed",
  userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d",
  anonymousId: "507f191e810c19729de860ea",
  messageId: "ajs-next-1732800000000-6f7e1c2a-45b1-4c1e-8e1f-3a2b1c0d9e8f",
  timestamp: "2026-11-28T12:00:00.000Z",
  sentAt: "2026-11-28T12:00:00.120Z",
  receivedAt: "2026-11-28T12:00:00.400Z",
  context: {
    ip: "203.0.113.7",
    userAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    locale: "sv-SE",
    library: { name: "analytics.js", version: "next-1.72.0" },
    page: {
      path: "/checkout/complete",
      referrer: "https://shop.example.com/cart",
      title: "Thank you!",
      url: "https://shop.example.com/checkout/complete",
    },
  },
  properties: {
    order_id: "50314b8e9bcf000000000000",
    affiliation: "Google Store",
    revenue: 134.4567,
    shipping: 3,
    tax: 2,
    discount: 2.5,
    coupon: "hasbros",
    currency: "sek",
    first_order: false,
    products: [
      {
        product_id: "507f1f77bcf86cd799439011",
        sku: "45790-32",
        name: "Monopoly: 3rd Edition",
        price: 19,
        quantity: 1,
        category: "Games",
      },
      {
        product_id: "505bd76785ebb509fc183733",
        sku: "46493-32",
        name: "Uno Card Game",
        price: 3,
        quantity: 2,
        category: "Games",
      },
      {
        product_id: "605bd76785ebb509fc183734",
        sku: "46493-33",
        name: "Scrabble",
        price: 24,
        quantity: 1,
        category: "Games",
      },
      {
        product_id: "705bd76785ebb509fc183735",
        sku: "46493-34",
        name: "Catan",
        price: 39,
        quantity: 1,
        category: "Games",
      },
      {
        product_id: "805bd76785ebb509fc183736",
        sku: "46493-35",
        name: "Ticket to Ride",
        price: 44,
        quantity: 1,
        category: "Games",
      },
    ],
  },
};

/**
 * 64 Order Completed calls of the same shape as `orderCompleted` with
 * different values (user, revenue, currency, coupon or none, one to six
 * products), cycled through by the engine cases: one constant event lets
 * every engine's caches and branch predictors look better than they are.
 * Made by a fixed pseudo-random sequence, so every run sees the same 64,
 * and parsed from their JSON, as a front end has them.
 */
export const orderCompletedEvents: readonly (typeof orderCompleted)[] = variedEvents(64).map(
  (event) => JSON.parse(JSON.stringify(event)) as typeof orderCompleted,
);

/**
 * What a front end tells the engine of each of `orderCompletedEvents`, as
 * the server and `gwenmap send` do: it was parsed from JSON of so many bytes.
 */
export const orderCompletedOptions: readonly { readonly plainJsonBytes: number }[] =
  orderCompletedEvents.map((event) => ({
    plainJsonBytes: Buffer.byteLength(JSON.stringify(event)),
  }));

function variedEvents(count: number): (typeof orderCompleted)[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join("");
  const names = [
    "Monopoly",
    "Uno Card Game",
    "Scrabble",
    "Catan",
    "Ticket to Ride",
    "Azul",
    "Carcassonne",
  ];
  return Array.from({ length: count }, (_, index) => {
    const products = Array.from({ length: 1 + Math.floor(next() * 6) }, () => ({
      product_id: hex(24),
      sku: `${Math.floor(next() * 90_000) + 10_000}-${Math.floor(next() * 90) + 10}`,
      name: pick(names),
      price: Math.round(next() * 6000) / 100,
      quantity: 1 + Math.floor(next() * 4),
      category: pick(["Games", "Puzzles", "Toys"]),
    }));
    return {
      ...orderCompleted,
      userId: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      messageId: `ajs-next-${1_732_800_000_000 + index}-${hex(8)}`,
      properties: {
        ...orderCompleted.properties,
        order_id: hex(24),
        revenue: Math.round(next() * 30_000) / 100,
        coupon: next() < 0.5 ? pick(["hasbros", "WINTER", "vip-10"]) : (null as unknown as string),
        currency: pick(["sek", "eur", "usd", "nok"]),
        products,
      },
    };
  });
}

/** A mapping file's expression and trigger, read the way a naive implementation would use them. */
export interface PlainMapping {
  readonly action: string;
  readonly trigger: string;
  readonly expression: string;
}

/** Read a mapping file into trigger and expression (good enough for the shipped files' simple headers). */
export async function readPlainMapping(file: string): Promise<PlainMapping> {
  const text = await readFile(file, "utf8");
  const end = text.indexOf("*/");
  const header = text.slice(0, end);
  const tag = (name: string) => new RegExp(`@${name}\\s+(.+)`).exec(header)?.[1]?.trim() ?? "";
  return { action: tag("action"), trigger: tag("trigger"), expression: text.slice(end + 2) };
}

/**
 * A mappings directory of `size` mappings in which, for an Order Completed
 * call, exactly the order-completed example fires, plus the send-event
 * preset when size > 1; the rest are for other event types and names.
 */
export async function generatedSet(
  size: number,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-bench-"));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "order-completed.jsonata"),
    await readFile(join(examplesDir, "order-completed.jsonata")),
  );
  if (size > 1)
    await writeFile(
      join(dir, "send-event.jsonata"),
      await readFile(join(presetsDir, "send-event.jsonata")),
    );
  for (let index = 2; index < size; index++) {
    const trigger =
      index % 3 === 0
        ? `type = "page" and name = "Page ${index}"`
        : index % 3 === 1
          ? `type = "track" and event = "Other Event ${index}"`
          : `type = "identify" and traits.plan = "plan-${index}"`;
    const body = `{ "userId": userId, "type": "filler_${index}", "data": { "n": ${index}, "name": $lowercase(event) } }`;
    await writeFile(
      join(dir, `filler-${index}.jsonata`),
      `/**\n * @action sendEvent\n * @trigger ${trigger}\n */\n${body}\n`,
    );
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** What the shipped send-event preset makes of `orderCompleted`: the payload the server and `gwenmap send` deliver. */
export const sendEventPayload = {
  userId: orderCompleted.userId,
  type: orderCompleted.type,
  data: orderCompleted.properties,
};
