import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore } from "../queue/job-store.js";

export interface HealthContext {
  readonly store: JobStore;
  readonly metrics: ServerMetrics;
  /** Why delivery is paused (GWEN refuses the API key), if it is. */
  readonly deliveryPausedBecause: () => string | undefined;
  /** GWEN's last answer while delivery backs off because GWEN is unavailable, if it does. */
  readonly unavailableBecause: () => string | undefined;
  readonly mappingCount: () => number;
  readonly shuttingDown: () => boolean;
}

/**
 * `/healthz`: the process is alive (200 while it runs, with the delivery
 * state: a refused API key or an unavailable GWEN shows here); `/readyz`:
 * ready for traffic (store open and taking events, which a disk below its
 * reserve stops, mappings loaded, GWEN accepting the key; an unavailable
 * GWEN does not stop ingestion, so it is not a problem here);
 * `/metrics`: Prometheus.
 */
export function registerHealthRoutes(app: FastifyInstance, context: HealthContext): void {
  app.get("/healthz", async () => {
    const pausedBecause = context.deliveryPausedBecause();
    if (pausedBecause !== undefined) return { status: "ok", delivery: "paused", pausedBecause };
    const unavailableBecause = context.unavailableBecause();
    if (unavailableBecause !== undefined) {
      return { status: "ok", delivery: "backing off", unavailableBecause };
    }
    return { status: "ok", delivery: "running" };
  });

  app.get("/readyz", async (_request, reply) => {
    const problems: string[] = [];
    if (context.shuttingDown()) problems.push("the server is shutting down");
    try {
      const refusing = (await context.store.stats()).disk?.refusingBecause;
      if (refusing !== undefined) problems.push(`new events are refused: ${refusing}`);
    } catch (error) {
      problems.push(`the job store is not usable: ${(error as Error).message}`);
    }
    const pausedBecause = context.deliveryPausedBecause();
    if (pausedBecause !== undefined) {
      problems.push(`GWEN refuses the API key (delivery paused): ${pausedBecause}`);
    }
    const mappings = context.mappingCount();
    if (problems.length > 0) return reply.code(503).send({ ready: false, mappings, problems });
    return { ready: true, mappings };
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(text);
  });
}
