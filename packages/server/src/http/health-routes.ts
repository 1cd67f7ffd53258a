import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { JobStore } from "../queue/job-store.js";

export interface HealthContext {
  readonly store: JobStore;
  readonly metrics: ServerMetrics;
  /** Why delivery is paused (GWEN refuses the API key), if it is. */
  readonly deliveryPausedBecause: () => string | undefined;
  readonly mappingCount: () => number;
  readonly shuttingDown: () => boolean;
}

/**
 * `/healthz`: the process is alive (200 while it runs, with the delivery
 * state: a refused API key shows here); `/readyz`: ready for traffic (store
 * open, mappings loaded, GWEN accepting the key); `/metrics`: Prometheus.
 */
export function registerHealthRoutes(app: FastifyInstance, context: HealthContext): void {
  app.get("/healthz", async () => {
    const pausedBecause = context.deliveryPausedBecause();
    return pausedBecause === undefined
      ? { status: "ok", delivery: "running" }
      : { status: "ok", delivery: "paused", pausedBecause };
  });

  app.get("/readyz", async (_request, reply) => {
    const problems: string[] = [];
    if (context.shuttingDown()) problems.push("the server is shutting down");
    try {
      await context.store.stats();
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
