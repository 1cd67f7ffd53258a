import type { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorError } from "../errors.js";
import type { EmulatorState } from "./emulator-state.js";
import { readBody, sendJson } from "./http-io.js";

/** The control paths under `/_emulator/`, for tests and the CLI. */
export const CONTROL_PREFIX = "/_emulator/";

/**
 * `GET|DELETE /_emulator/requests`, `GET|DELETE /_emulator/stats`,
 * `GET|POST /_emulator/faults` (POST replaces all faults),
 * `POST /_emulator/api-keys` (`{ "apiKeys": [...] }` replaces the accepted keys).
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  state: EmulatorState,
): Promise<void> {
  const route = `${request.method} ${(request.url ?? "").split("?")[0]}`;
  switch (route) {
    case "GET /_emulator/requests":
      return sendJson(response, 200, state.recorder.list());
    case "DELETE /_emulator/requests":
      state.recorder.clear();
      return noContent(response);
    case "GET /_emulator/stats":
      return sendJson(response, 200, state.stats.snapshot());
    case "DELETE /_emulator/stats":
      state.stats.reset();
      return noContent(response);
    case "GET /_emulator/faults":
      return sendJson(response, 200, state.faults);
    case "POST /_emulator/faults":
      return update(request, response, (body) => {
        state.setFaults(body);
        return state.faults;
      });
    case "POST /_emulator/api-keys":
      return update(request, response, (body) => {
        state.setApiKeys((body as { apiKeys?: unknown } | null)?.apiKeys);
        return { apiKeys: "updated" };
      });
    default:
      return sendJson(response, 404, { error: `No emulator control route ${route}` });
  }
}

async function update(
  request: IncomingMessage,
  response: ServerResponse,
  apply: (body: unknown) => unknown,
): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) return;
  if (body === "too-large")
    return sendJson(response, 413, { error: "The body is larger than 1 MiB" });
  try {
    sendJson(response, 200, apply(JSON.parse(body.toString("utf8"))));
  } catch (error) {
    const message =
      error instanceof EmulatorError
        ? error.message
        : `The body is not JSON: ${(error as Error).message}`;
    sendJson(response, 400, { error: message });
  }
}

function noContent(response: ServerResponse): void {
  response.writeHead(204);
  response.end();
}
