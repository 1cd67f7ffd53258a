import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { EmulatorState } from "./emulator-state.js";
import { graphQLErrorBody, sendJson, sendJsonText } from "./http-io.js";

/** True with probability `rate` (absent or 0: never). */
export function chance(rate: number | undefined): boolean {
  return rate !== undefined && rate > 0 && Math.random() < rate;
}

/**
 * Applies the faults that stand in front of GWEN (network, load balancer,
 * rate limiter) before the request is looked at. Returns true when the
 * request was answered, dropped or stalled here.
 */
export function injectTransportFault(
  request: IncomingMessage,
  response: ServerResponse,
  state: EmulatorState,
): boolean {
  const faults = state.faults;
  if (chance(faults.dropRate)) {
    state.stats.add("dropped");
    request.socket.destroy();
    return true;
  }
  if (chance(faults.stallRate)) {
    state.stats.add("stalled");
    return true;
  }
  if (!state.admitWithinRps(Date.now())) {
    rateLimited(response, state, "1");
    return true;
  }
  if (chance(faults.rateLimitRate)) {
    rateLimited(
      response,
      state,
      retryAfter(faults.retryAfterSeconds ?? 1, faults.retryAfterFormat),
    );
    return true;
  }
  if (state.takeFailNext() || chance(faults.errorRate)) {
    const status = faults.errorStatus ?? 503;
    state.stats.add("httpErrors");
    const message = `${STATUS_CODES[status] ?? "Error"} (emulated HTTP ${status})`;
    sendJson(response, status, graphQLErrorBody(message, "EMULATED_FAULT"));
    return true;
  }
  return false;
}

function rateLimited(response: ServerResponse, state: EmulatorState, header: string): void {
  state.stats.add("rateLimited");
  response.setHeader("retry-after", header);
  sendJson(response, 429, graphQLErrorBody("Too many requests (emulated)", "RATE_LIMITED"));
}

function retryAfter(seconds: number, format: "seconds" | "date" | undefined): string {
  return format === "date" ? new Date(Date.now() + seconds * 1000).toUTCString() : String(seconds);
}

/**
 * Writes the final answer, unless an answer fault strikes: a connection reset
 * halfway through the body (`resetRate`) or a body that trickles one byte at
 * a time (`slowBodyRate`). The operation was already executed and recorded:
 * that is the case where a retry makes a duplicate.
 */
export function writeAnswer(response: ServerResponse, text: string, state: EmulatorState): void {
  const faults = state.faults;
  if (chance(faults.resetRate)) {
    state.stats.add("reset");
    resetMidBody(response, Buffer.from(text));
    return;
  }
  if (chance(faults.slowBodyRate)) {
    state.stats.add("slowBody");
    trickle(response, Buffer.from(text), faults.slowBodyIntervalMs ?? 1000);
    return;
  }
  sendJsonText(response, 200, text);
}

function startBody(response: ServerResponse, body: Buffer): void {
  response.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
  });
}

function resetMidBody(response: ServerResponse, body: Buffer): void {
  startBody(response, body);
  response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.destroy());
}

function trickle(response: ServerResponse, body: Buffer, intervalMs: number): void {
  startBody(response, body);
  let sent = 1;
  response.write(body.subarray(0, 1));
  const timer = setInterval(() => {
    if (sent >= body.length) {
      clearInterval(timer);
      response.end();
      return;
    }
    response.write(body.subarray(sent, sent + 1));
    sent += 1;
  }, intervalMs);
  timer.unref();
  response.on("close", () => clearInterval(timer));
}
