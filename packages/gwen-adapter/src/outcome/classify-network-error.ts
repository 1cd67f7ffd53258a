import type { Outcome } from "./outcome.js";

/** What the message of a network failure may mention. */
export interface NetworkContext {
  /** `https://gwen.insertcoin.se` (never with credentials). */
  readonly origin: string;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly durationMs: number;
}

type Describe = (context: NetworkContext, code: string) => string;

const closed: Describe = ({ origin }, code) =>
  `the connection to ${origin} was closed before GWEN's answer was complete (${code})`;
const aborted: Describe = ({ origin }) =>
  `the request to ${origin} was aborted before GWEN answered`;
const unresolved: Describe = ({ origin }, code) =>
  `cannot resolve the host of ${origin} (${code}): check the endpoint and the network`;

const DESCRIPTIONS: Readonly<Record<string, Describe>> = {
  UND_ERR_CONNECT_TIMEOUT: ({ origin, connectTimeoutMs }) =>
    `connecting to ${origin} timed out after ${connectTimeoutMs} ms (UND_ERR_CONNECT_TIMEOUT)`,
  UND_ERR_HEADERS_TIMEOUT: ({ origin, headersTimeoutMs }) =>
    `${origin} did not start answering within ${headersTimeoutMs} ms (UND_ERR_HEADERS_TIMEOUT)`,
  UND_ERR_BODY_TIMEOUT: ({ origin, bodyTimeoutMs }) =>
    `${origin} stopped sending its answer for more than ${bodyTimeoutMs} ms (UND_ERR_BODY_TIMEOUT)`,
  UND_ERR_SOCKET: closed,
  ECONNRESET: closed,
  EPIPE: closed,
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: closed,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: closed,
  ECONNREFUSED: ({ origin }) =>
    `${origin} refused the connection (ECONNREFUSED): is GWEN reachable there, or the emulator running?`,
  ETIMEDOUT: ({ origin }) => `the connection to ${origin} timed out (ETIMEDOUT)`,
  EHOSTUNREACH: ({ origin }) => `${origin} is unreachable (EHOSTUNREACH)`,
  ENETUNREACH: ({ origin }) => `the network to ${origin} is unreachable (ENETUNREACH)`,
  ENOTFOUND: unresolved,
  EAI_AGAIN: unresolved,
  UND_ERR_ABORTED: aborted,
  ABORT_ERR: aborted,
  AbortError: aborted,
  TimeoutError: ({ origin }) => `the caller's deadline passed before ${origin} answered`,
  UND_ERR_CLOSED: () => "the GWEN client is closed; create a new one to send more",
  UND_ERR_DESTROYED: () => "the GWEN client is closed; create a new one to send more",
};

/**
 * A failure below HTTP (connect, timeouts, resets, aborts) as a `retry`
 * outcome with a message that says what happened. The delivery may or may
 * not have reached GWEN; retrying is what at-least-once delivery needs.
 * The error's own message is used only for codes we do not know.
 */
export function classifyNetworkError(error: unknown, context: NetworkContext): Outcome {
  const code = findCode(error);
  const describe = code === undefined ? undefined : DESCRIPTIONS[code];
  const message = describe
    ? describe(context, code as string)
    : `network error talking to ${context.origin}: ${describeUnknown(error)}`;
  return { kind: "retry", message, durationMs: context.durationMs };
}

/** The first known code in the error, its `cause` chain or its aggregated errors. */
function findCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, name, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && code in DESCRIPTIONS) return code;
  if (name === "AbortError" || name === "TimeoutError") return name;
  const nested = [cause, ...(Array.isArray(errors) ? errors : [])];
  for (const inner of nested) {
    const found = findCode(inner, depth + 1);
    if (found) return found;
  }
  return typeof code === "string" ? code : undefined;
}

function describeUnknown(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
