import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { repository } from "./engine-inputs.js";
import { type ServerProcess, startServer } from "./server-process.js";

const execFileAsync = promisify(execFile);

/**
 * A PostgreSQL URL for the queue: GWENMAP_TEST_POSTGRES_URL, else what
 * `scripts/ensure-postgres.sh` prints (it starts a throwaway cluster,
 * installing PostgreSQL if needed), else undefined with the reason logged:
 * the PostgreSQL cases are then left out.
 */
export async function findPostgres(log: (line: string) => void): Promise<string | undefined> {
  const fromEnv = process.env.GWENMAP_TEST_POSTGRES_URL?.trim();
  if (fromEnv) return fromEnv;
  const script = join(repository, "scripts/ensure-postgres.sh");
  try {
    await access(script);
    const { stdout } = await execFileAsync("bash", [script], { timeout: 180_000 });
    const url = stdout.trim().split("\n").at(-1);
    if (url?.startsWith("postgres")) return url;
    log("server: no PostgreSQL URL from scripts/ensure-postgres.sh; PostgreSQL cases left out");
  } catch (error) {
    log(`server: no PostgreSQL (${(error as Error).message.split("\n")[0]}); cases left out`);
  }
  return undefined;
}

let schemas = 0;

/**
 * Starts `instances` server processes sharing one PostgreSQL queue in a
 * schema of their own (dropped once the last of them stops), so every round
 * starts empty and nothing touches other users of the database.
 */
export function postgresServers(
  databaseUrl: string,
  options: { gwenEndpoint: string; instances: number; env: Record<string, string> },
): () => Promise<ServerProcess[]> {
  return async () => {
    const schema = `gwenmap_bench_${process.pid}_${schemas++}`;
    const url = new URL(databaseUrl);
    url.searchParams.set("schema", schema);
    const env = { ...options.env, GWENMAP_QUEUE_URL: url.toString() };
    const started = await Promise.all(
      Array.from({ length: options.instances }, () => startServer(options.gwenEndpoint, env)),
    );
    let running = started.length;
    return started.map((server) => ({
      ...server,
      async stop() {
        const peak = await server.stop();
        if (--running === 0) await dropSchema(databaseUrl, schema);
        return peak;
      },
    }));
  };
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
