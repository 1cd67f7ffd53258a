import type { FastifyInstance } from "fastify";
import { ServerError } from "../errors.js";

/** Listens on the configured host and port; answers the port (the one chosen for port 0). Throws `E_START`. */
export async function listen(
  app: FastifyInstance,
  config: { port: number; host: string },
): Promise<number> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (cause) {
    throw new ServerError(
      "E_START",
      `The server cannot listen on ${config.host}:${config.port} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): set PORT to a free port, or 0 for any.`,
      { cause },
    );
  }
  const address = app.server.address();
  return typeof address === "object" && address !== null ? address.port : config.port;
}

/** The URL to reach the server at: loopback when it listens on every interface. */
export function serverUrl(host: string, port: number): string {
  const reachable = ["0.0.0.0", "::", ""].includes(host) ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}
