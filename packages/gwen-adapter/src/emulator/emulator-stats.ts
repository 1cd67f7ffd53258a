/** What the emulator counts; every counter starts at 0. */
export const STAT_NAMES = [
  /** HTTP requests to the GraphQL endpoint. */
  "requests",
  /** 200 answers without GraphQL errors. */
  "ok",
  /** Operations recorded (one per accepted alias). */
  "operations",
  /** Accepted `validateApiKey` queries. */
  "validateApiKey",
  /** 401 answers: missing or wrong API key. */
  "unauthorized",
  /** 400/405/413 answers: bodies that are not a GraphQL request. */
  "badRequest",
  /** 200 answers with GraphQL errors (invalid documents, variables, emulated failures). */
  "graphqlErrors",
  /** 429 answers (`rateLimitRate` and `maxRps`). */
  "rateLimited",
  /** `errorRate` answers. */
  "httpErrors",
  "dropped",
  "stalled",
  "reset",
  "slowBody",
] as const;

export type StatName = (typeof STAT_NAMES)[number];

/** Counters of what the emulator answered. */
export class EmulatorStats {
  #counts = new Map<StatName, number>();

  add(name: StatName, count = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + count);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(STAT_NAMES.map((name) => [name, this.#counts.get(name) ?? 0]));
  }

  reset(): void {
    this.#counts.clear();
  }
}
