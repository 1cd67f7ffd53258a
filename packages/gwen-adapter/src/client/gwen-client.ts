import { Pool } from "undici";
import type { ActionName } from "../action/actions.js";
import { type BatchResult, classifyBatchResponse } from "../outcome/classify-batch-response.js";
import { classifyResponse } from "../outcome/classify-response.js";
import { isRecord } from "../outcome/graphql-errors.js";
import type { Outcome } from "../outcome/outcome.js";
import { validateApiKeyOperation } from "../request/operations.js";
import { type DeliveryItem, prepareItem } from "../request/prepare-item.js";
import type { PreparedItem } from "../request/prepared-variables.js";
import { requestText } from "../request/request-text.js";
import {
  type GwenClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "./client-options.js";
import { type Exchange, postGraphQL, type Transport } from "./post-graphql.js";
import { RateLimiter } from "./rate-limiter.js";
import { redactSecrets } from "./redact-secrets.js";
import { withRetry } from "./with-retry.js";

/** Per-call options of `send`, `sendBatch` and `validateApiKey`. */
export interface SendOptions {
  /** Aborting gives a `retry` outcome: the delivery was not confirmed. */
  signal?: AbortSignal;
}

/** The answer of `validateApiKey`. */
export type ApiKeyValidation = { ok: true } | { ok: false; outcome: Outcome };

/**
 * Sends GWEN actions over a keep-alive undici `Pool` and classifies every
 * answer into an `Outcome`. It never throws for what GWEN or the network
 * does; only its constructor throws, for bad options. The API key is held in
 * a private field and redacted from every message.
 */
export class GwenClient {
  /** The resolved endpoint URL (without credentials if any were given). */
  readonly endpoint: string;
  readonly #options: ResolvedClientOptions;
  readonly #pool: Pool;
  readonly #transport: Transport;
  #closing: Promise<void> | undefined;

  /** Throws `MissingApiKeyError`, `InvalidEndpointError` or `InvalidOptionError` for bad options. */
  constructor(options: GwenClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#options = resolved;
    const { endpoint } = resolved;
    this.endpoint = `${endpoint.origin}${endpoint.pathname}${endpoint.search}`;
    this.#pool = new Pool(endpoint.origin, {
      connections: resolved.connections,
      pipelining: resolved.pipelining,
      connectTimeout: resolved.connectTimeoutMs,
      headersTimeout: resolved.headersTimeoutMs,
      bodyTimeout: resolved.bodyTimeoutMs,
    });
    this.#transport = {
      pool: this.#pool,
      path: `${endpoint.pathname}${endpoint.search}`,
      headers: { "content-type": "application/json", authorization: resolved.apiKey },
      context: {
        origin: endpoint.origin,
        connectTimeoutMs: resolved.connectTimeoutMs,
        headersTimeoutMs: resolved.headersTimeoutMs,
        bodyTimeoutMs: resolved.bodyTimeoutMs,
      },
      ...(resolved.maxRequestsPerSecond
        ? { limiter: new RateLimiter(resolved.maxRequestsPerSecond) }
        : {}),
    };
  }

  /** Delivers one action payload and says what became of it. */
  async send(
    action: ActionName,
    payload: Record<string, unknown>,
    options: SendOptions = {},
  ): Promise<Outcome> {
    const [outcome] = await this.sendBatch([{ action, payload }], options);
    return outcome as Outcome;
  }

  /**
   * Delivers several payloads (or prepared variables) in one HTTP request of
   * aliased mutations and answers one outcome per item, in order. An item
   * that cannot become a request is not sent; items GWEN did not run only
   * because others were invalid are sent again without them.
   */
  async sendBatch(items: readonly DeliveryItem[], options: SendOptions = {}): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(items.length);
    let pending: { index: number; item: PreparedItem }[] = [];
    items.forEach((item, index) => {
      const prepared = prepareItem(item);
      if (prepared.ok) pending.push({ index, item: prepared.item });
      else outcomes[index] = this.#redact(unsendable(prepared.message));
    });
    while (pending.length > 0) {
      const round = pending;
      const results = await this.#sendRound(
        round.map(({ item }) => item) as [PreparedItem, ...PreparedItem[]],
        options.signal,
      );
      pending = [];
      results.forEach((outcome, position) => {
        const entry = round[position] as (typeof round)[number];
        if (outcome) outcomes[entry.index] = this.#redact(outcome);
        else pending.push(entry);
      });
    }
    return outcomes;
  }

  /** Runs GWEN's `ValidateAPIKey` query: `{ ok: true }` only when GWEN says the key works. */
  async validateApiKey(options: SendOptions = {}): Promise<ApiKeyValidation> {
    const body = JSON.stringify({
      operationName: validateApiKeyOperation.operationName,
      query: validateApiKeyOperation.query,
    });
    const exchange = await this.#retrying(
      () => this.#exchange(body, options.signal),
      (result) => ("outcome" in result ? result.outcome : classifyResponse(result.answer)),
      options.signal,
    );
    const outcome = this.#redact(toOutcome(exchange));
    if (outcome.kind !== "ok") return { ok: false, outcome };
    const answer = "answer" in exchange ? JSON.parse(exchange.answer.body) : undefined;
    if (isRecord(answer) && isRecord(answer.data) && answer.data.validateApiKey === true) {
      return { ok: true };
    }
    const message =
      "GWEN did not confirm the API key (validateApiKey was not true): check GWEN_API_KEY";
    return {
      ok: false,
      outcome: { kind: "auth", status: outcome.status, message, durationMs: outcome.durationMs },
    };
  }

  /** Waits for requests in flight, then closes every connection. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#pool.close();
    return this.#closing;
  }

  /** Closes every connection now; requests in flight end with a `retry` outcome. */
  destroy(): Promise<void> {
    this.#closing = this.#pool.destroy();
    return this.#closing;
  }

  async #sendRound(
    subset: readonly [PreparedItem, ...PreparedItem[]],
    signal: AbortSignal | undefined,
  ): Promise<(Outcome | undefined)[]> {
    const body = requestText(subset);
    if (subset.length === 1) {
      return [
        await this.#retrying(
          () => this.#exchange(body, signal).then(toOutcome),
          (result) => result,
          signal,
        ),
      ];
    }
    const result = await this.#retrying(
      () =>
        this.#exchange(body, signal).then(
          (exchange): BatchResult =>
            "outcome" in exchange
              ? { shared: exchange.outcome }
              : classifyBatchResponse(exchange.answer, subset.length),
        ),
      (batch) => ("shared" in batch ? batch.shared : undefined),
      signal,
    );
    return "shared" in result ? subset.map(() => result.shared) : result.items;
  }

  #exchange(body: string, signal: AbortSignal | undefined): Promise<Exchange> {
    return postGraphQL(this.#transport, body, signal);
  }

  #retrying<T>(
    run: () => Promise<T>,
    retryOutcomeOf: (result: T) => Outcome | undefined,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    return withRetry(run, retryOutcomeOf, { policy: this.#options.retry, signal });
  }

  #redact(outcome: Outcome): Outcome {
    if (outcome.kind === "ok") return outcome;
    return { ...outcome, message: redactSecrets(outcome.message, [this.#options.apiKey]) };
  }
}

/** The outcome of an item that cannot become a request: it is never sent. */
function unsendable(reason: string): Outcome {
  return { kind: "permanent", message: `the request cannot be built: ${reason}`, durationMs: 0 };
}

function toOutcome(exchange: Exchange): Outcome {
  return "outcome" in exchange ? exchange.outcome : classifyResponse(exchange.answer);
}
