import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { execute, GraphQLError } from "graphql";
import type { GraphQLOperation } from "../request/operations.js";
import type { DocumentCache } from "./document-cache.js";
import type { EmulatorState } from "./emulator-state.js";
import { graphQLErrorBody, readBody, sendJson } from "./http-io.js";
import type { ResolverContext } from "./schema.js";
import { gwenSchema } from "./schema.js";
import { chance, injectTransportFault, writeAnswer } from "./transport-faults.js";

/** A GraphQL-over-HTTP request body, checked. */
interface GraphQLRequest {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
}

/**
 * `POST /graphql`: latency, transport faults, the API key, then the request
 * itself (400 for a body that is not a GraphQL request, 200 with `errors` for
 * an invalid document or variables, as GraphQL servers answer).
 */
export async function handleGraphQL(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { state: EmulatorState; cache: DocumentCache },
): Promise<void> {
  const { state, cache } = deps;
  state.stats.add("requests");
  const receivedAtMs = Date.now();
  const body = await readBody(request);
  if (body === undefined) return;
  const latencyMs = state.faults.latencyMs;
  if (latencyMs) await sleep(latencyMs, undefined, { ref: false });
  if (response.destroyed || injectTransportFault(request, response, state)) return;
  if (!state.isAcceptedKey(request.headers.authorization)) {
    state.stats.add("unauthorized");
    const message = request.headers.authorization ? "Invalid API key" : "Missing API key";
    sendJson(
      response,
      401,
      graphQLErrorBody(
        `${message}: send GWEN's API key in the Authorization header`,
        "UNAUTHENTICATED",
      ),
    );
    return;
  }
  if (!request.headers["content-type"]?.toLowerCase().startsWith("application/json")) {
    state.stats.add("badRequest");
    const message = "Unsupported Media Type: send the request as Content-Type: application/json";
    sendJson(response, 415, graphQLErrorBody(message, "BAD_REQUEST"));
    return;
  }
  const parsed = body === "too-large" ? "the body is larger than 1 MiB" : parseRequest(body);
  if (typeof parsed === "string") {
    state.stats.add("badRequest");
    sendJson(
      response,
      body === "too-large" ? 413 : 400,
      graphQLErrorBody(`Bad GraphQL request: ${parsed}`, "BAD_REQUEST"),
    );
    return;
  }
  const result = await run(parsed, { state, cache, receivedAtMs });
  state.stats.add(result.errors ? "graphqlErrors" : "ok");
  writeAnswer(response, JSON.stringify(result), state);
}

async function run(
  request: GraphQLRequest,
  deps: { state: EmulatorState; cache: DocumentCache; receivedAtMs: number },
): Promise<{ data?: unknown; errors?: readonly GraphQLError[] }> {
  const compiled = deps.cache.get(request.query);
  if (!compiled.ok) return { errors: compiled.errors };
  const result = await execute({
    schema: gwenSchema,
    document: compiled.document,
    operationName: request.operationName,
    variableValues: request.variables,
    contextValue: resolverContext(request, deps),
  });
  return result.errors ? result : { data: result.data };
}

function resolverContext(
  request: GraphQLRequest,
  deps: { state: EmulatorState; receivedAtMs: number },
): ResolverContext {
  const { state, receivedAtMs } = deps;
  return {
    accept(operation, args, info) {
      rejectIfFaulted(state, args);
      state.stats.add("operations");
      if (!state.record && !state.onRequest) return;
      const aliased = info.path.key !== info.fieldName;
      const entry = {
        operationName: aliased
          ? operation.operationName
          : (request.operationName ?? operation.operationName),
        variables: variablesOf(operation, args),
        receivedAtMs,
        alias: aliased ? String(info.path.key) : undefined,
      };
      if (state.record) state.recorder.record(entry);
      state.onRequest?.({
        operationName: entry.operationName,
        variables: entry.variables,
        receivedAt: new Date(receivedAtMs).toISOString(),
        ...(entry.alias ? { alias: entry.alias } : {}),
      });
    },
    validated: () => state.stats.add("validateApiKey"),
  };
}

function rejectIfFaulted(state: EmulatorState, args: Record<string, unknown>): void {
  if (state.isRejectedUser(args.userId)) {
    throw new GraphQLError(
      `GWEN does not accept user ${String(args.userId)} (emulated rejection)`,
      {
        extensions: { code: "USER_REJECTED" },
      },
    );
  }
  if (chance(state.faults.graphqlErrorRate)) {
    throw new GraphQLError("GWEN could not process this operation (emulated GraphQL error)", {
      extensions: { code: "EMULATED_FAULT" },
    });
  }
}

/** The operation's own variables, rebuilt from the field's arguments (so aliases record unprefixed). */
function variablesOf(
  operation: GraphQLOperation,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [argument, variable] of Object.entries(operation.arguments)) {
    if (args[argument] !== undefined) variables[variable] = args[argument];
  }
  return variables;
}

/** The checked request, or what is wrong with the body. */
function parseRequest(body: Buffer): GraphQLRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return `the body is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "the body must be a JSON object";
  }
  const { query, operationName, variables } = value as Record<string, unknown>;
  if (typeof query !== "string") return '"query" must be a string';
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return '"operationName" must be a string';
  }
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== "object" || Array.isArray(variables))
  ) {
    return '"variables" must be an object';
  }
  return {
    query,
    operationName: typeof operationName === "string" ? operationName : undefined,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
  };
}
