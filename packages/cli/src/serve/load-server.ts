import { CliError } from "../errors.js";

/** What `gwenmap serve` uses of @gwenmap/server. */
export type ServerModule = typeof import("@gwenmap/server");

/**
 * @gwenmap/server, loaded only by the commands that run it: it is an
 * optional part of the CLI (fastify, SQLite's native build, pg), so a CI that
 * only validates and tests mappings installs without it. When it is missing,
 * `E_NOT_INSTALLED` says in one line how to add it.
 */
export async function loadServer(command: string): Promise<ServerModule> {
  try {
    return await import("@gwenmap/server");
  } catch (error) {
    if (!isMissing(error, "@gwenmap/server")) throw error;
    throw new CliError(
      "E_NOT_INSTALLED",
      `gwenmap ${command} needs the server, which is not installed: npm install --save-dev @gwenmap/server`,
      { cause: error },
    );
  }
}

/** Whether `error` says that `name` itself cannot be found (not one of its own dependencies). */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === "ERR_MODULE_NOT_FOUND" && typeof message === "string" && message.includes(`'${name}'`)
  );
}
