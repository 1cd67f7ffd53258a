/** What one autocannon run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Answers outside 2xx: a measurement with any is not a throughput of successes. */
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
}
