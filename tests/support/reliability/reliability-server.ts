import { DEFAULT_EMULATOR_API_KEY, type Emulator } from "@gwenmap/gwen-adapter/emulator";
import { type ServerProcess, SHIPPED_MAPPINGS, spawnServer } from "../server/spawn-server.js";

export const WRITE_KEY = "reliability-write-key";
export const ADMIN_TOKEN = "reliability-admin-token";

/**
 * Starts the real server process on `dataDir`, delivering to `emulator` with
 * the shipped mappings, fast retries, and `env` on top (e.g. a crash point).
 */
export function startReliabilityServer(
  emulator: Emulator,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  return spawnServer({
    GWENMAP_DATA_DIR: dataDir,
    GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
    GWENMAP_WRITE_KEYS: WRITE_KEY,
    GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN,
    GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
    GWEN_ENDPOINT: emulator.url,
    GWENMAP_WATCH: "0",
    GWENMAP_RETRY_BASE_DELAY: "20ms",
    GWENMAP_RETRY_MAX_DELAY: "200ms",
    ...env,
  });
}

/** `GET /admin/dead-letters` (every page's items). */
export async function deadLetters(url: string): Promise<DeadLetter[]> {
  const items: DeadLetter[] = [];
  let after: number | undefined;
  for (;;) {
    const query = `limit=1000${after === undefined ? "" : `&after=${after}`}`;
    const response = await fetch(`${url}/admin/dead-letters?${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const page = (await response.json()) as { items: DeadLetter[]; nextAfterId?: number };
    items.push(...page.items);
    if (page.nextAfterId === undefined) return items;
    after = page.nextAfterId;
  }
}

/** `POST /admin/dead-letters/replay` with `selector`; answers how many were replayed. */
export async function replay(url: string, selector: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${url}/admin/dead-letters/replay`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(selector),
  });
  return ((await response.json()) as { replayed: number }).replayed;
}

/** A dead or rejected record as the admin endpoint lists it. */
export interface DeadLetter {
  readonly id: number;
  readonly state: string;
  readonly messageId: string;
  readonly mapping?: string;
  readonly attempts: number;
  readonly reason: { code: string; message: string; status?: number; outcome?: string };
}
