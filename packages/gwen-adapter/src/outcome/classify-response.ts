import { STATUS_CODES } from "node:http";
import {
  describeErrors,
  type GraphQLErrorEntry,
  isAuthError,
  isRecord,
  readGraphQLErrors,
} from "./graphql-errors.js";
import type { HttpAnswer } from "./http-answer.js";
import type { Outcome } from "./outcome.js";
import { parseRetryAfter } from "./retry-after.js";

/** Statuses worth retrying besides 5xx (of which 501 is excluded: it will never work). */
const RETRYABLE_STATUSES = new Set([408, 423, 429]);
const SNIPPET_LENGTH = 300;

/** A 2xx answer parsed as JSON, or the permanent outcome of a body that is not a JSON object. */
export type ParsedAnswer =
  | { ok: true; data: unknown; errors: GraphQLErrorEntry[] }
  | { ok: false; outcome: Outcome };

/**
 * The outcome of one (unbatched) GraphQL request from GWEN's complete answer:
 * non-2xx statuses by their class (401/403 are `auth`), then, for 2xx, the
 * GraphQL `errors` in the body (`auth` when one is about the key, otherwise
 * `permanent`), else `ok`.
 */
export function classifyResponse(answer: HttpAnswer, now: number = Date.now()): Outcome {
  const failure = classifyStatus(answer, now);
  if (failure) return failure;
  const parsed = parseAnswer(answer);
  if (!parsed.ok) return parsed.outcome;
  return parsed.errors.length > 0
    ? classifyGraphQLErrors(parsed.errors, answer)
    : { kind: "ok", status: answer.status, durationMs: answer.durationMs };
}

/** The outcome of a non-2xx answer, or undefined for a 2xx one. */
export function classifyStatus(answer: HttpAnswer, now: number = Date.now()): Outcome | undefined {
  const { status, durationMs } = answer;
  if (status >= 200 && status < 300) return undefined;
  const said = `GWEN answered HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd();
  const detail = describeBody(answer.body);
  const withDetail = detail ? `${said}: ${detail}` : said;
  const errors = readGraphQLErrors(safeParse(answer.body));
  if (status === 401 || status === 403 || errors.some(isAuthError)) {
    return { kind: "auth", status, message: `${withDetail}. ${FIX_KEY}`, durationMs };
  }
  if (RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501)) {
    const retryAfterMs = parseRetryAfter(answer.headers["retry-after"], now);
    const wait = retryAfterMs === undefined ? "" : ` (Retry-After: ${retryAfterMs} ms)`;
    return {
      kind: "retry",
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      message: `${withDetail}; it may succeed later${wait}`,
      durationMs,
    };
  }
  return { kind: "permanent", status, message: withDetail, durationMs };
}

/** A 2xx body as GraphQL `data` and `errors`. */
export function parseAnswer(answer: HttpAnswer): ParsedAnswer {
  const body = safeParse(answer.body);
  if (!isRecord(body)) {
    const snippet = describeBody(answer.body) || "an empty body";
    return {
      ok: false,
      outcome: {
        kind: "permanent",
        status: answer.status,
        message: `GWEN answered HTTP ${answer.status} with something that is not a GraphQL answer: ${snippet}`,
        durationMs: answer.durationMs,
      },
    };
  }
  return { ok: true, data: body.data, errors: readGraphQLErrors(body) };
}

/** `auth` when any error is about the key, otherwise `permanent` with GWEN's messages. */
export function classifyGraphQLErrors(
  errors: readonly GraphQLErrorEntry[],
  answer: Pick<HttpAnswer, "status" | "durationMs">,
): Outcome {
  const { status, durationMs } = answer;
  const messages = describeErrors(errors);
  if (errors.some(isAuthError)) {
    return {
      kind: "auth",
      status,
      message: `GWEN rejected the API key: ${messages}. ${FIX_KEY}`,
      durationMs,
    };
  }
  return {
    kind: "permanent",
    status,
    message: `GWEN refused the request: ${messages}`,
    durationMs,
  };
}

const FIX_KEY = "Check the API key (GWEN_API_KEY); deliveries cannot succeed until it is fixed";

/** GWEN's own words from an error body: its GraphQL messages, or the start of the text. */
function describeBody(body: string): string {
  const parsed = safeParse(body);
  const errors = readGraphQLErrors(parsed);
  if (errors.length > 0) return describeErrors(errors);
  if (isRecord(parsed) && typeof parsed.message === "string") return parsed.message;
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
