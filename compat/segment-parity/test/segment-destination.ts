import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { comparableRequest, type Outcome } from "./outcome.js";

const require = createRequire(import.meta.url);

interface SegmentDestination {
  onEvent(event: unknown, settings: Record<string, unknown>): Promise<unknown>;
}

interface Preset {
  readonly subscribe: string;
  readonly partnerAction: string;
  readonly mapping: Record<string, unknown>;
}

/** `AggregateAjvError` of @segment/ajv-human-errors: the payload validation failure. */
interface AggregateAjvError extends Error {
  readonly errors: readonly { readonly message: string }[];
}

/**
 * Segment's GWEN (Actions) destination, run by Segment's actions runtime
 * exactly as Segment's pipeline runs it for an event: subscriptions matched
 * (the presets' `type = "track"`, `type = "identify"`), fields mapped by
 * their `@path` defaults, empty values dropped, the payload coerced and
 * validated, `perform` called. Its HTTP requests are caught by replacing the
 * default export of the runtime's `fetch` module, which the request client
 * reads at call time: nothing leaves the process.
 */
export function loadSegmentDestination(): (event: unknown) => Promise<Outcome> {
  const fetchModule = require(
    join(dirname(require.resolve("@segment/actions-core")), "fetch.js"),
  ) as { default: unknown; Response: typeof Response };
  const caught: string[] = [];
  fetchModule.default = async (request: Request) => {
    caught.push(await request.text());
    return new fetchModule.Response('{"data":{}}', {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const { createTestIntegration } = require("@segment/actions-core") as {
    createTestIntegration(definition: unknown): SegmentDestination;
  };
  const gwen = require("@segment/action-destinations/dist/destinations/gwen").default as {
    presets: readonly Preset[];
  };
  const destination = createTestIntegration(gwen);
  const subscriptions = gwen.presets.map(({ subscribe, partnerAction, mapping }) => ({
    subscribe,
    partnerAction,
    mapping,
  }));
  const settings = { apiKey: "parity-test-key", subscriptions };

  return async (event) => {
    caught.length = 0;
    try {
      await destination.onEvent(event, settings);
      return { kind: "sent", requests: caught.map(comparableRequest) };
    } catch (error) {
      if ((error as Error).name === "AggregateAjvError") {
        const messages = (error as AggregateAjvError).errors.map((e) => e.message);
        return { kind: "rejected", messages: [...messages].sort() };
      }
      return { kind: "failed", message: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };
}
