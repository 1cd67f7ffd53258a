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
 * the PostgreSQL cases are then left out. Smoke runs take only the
 * variable: they must stay short, and the tests that run them set it.
 */
export async function findPostgres(options: {
  readonly log: (line: string) => void;
  readonly smoke?: boolean;
}): Promise<string | undefined> {
  const { log } = options;
  const fromEnv = process.env.GWENMAP_TEST_POSTGRES_URL?.trim();
  if (fromEnv) return fromEnv;
  if (options.smoke) {
    log("no GWENMAP_TEST_POSTGRES_URL in a smoke run: PostgreSQL cases left out");
    return undefined;
  }
  const script = join(repository, "scripts/ensure-postgres.sh");
  try {
    await access(script);
    const { stdout } = await execFileAsync("bash", [script], { timeout: 180_000 });
    const url = stdout.trim().split("\n").at(-1);
    if (url?.startsWith("postgres")) return url;
    log("no PostgreSQL URL from scripts/ensure-postgres.sh; PostgreSQL cases left out");
  } catch (error) {
    log(`no PostgreSQL (${(error as Error).message.split("\n")[0]}); PostgreSQL cases left out`);
  }
  return undefined;
}

let schemas = 0;

/**
 * Starts `instances` server processes sharing one PostgreSQL queue in a
 * schema of their own (dropped once the last of them stops), so every round
 * starts empty and nothing touches other users of the database. Each
 * instance runs with `env`, and what `instanceEnv` gives for its index over it.
 */
export function postgresServers(
  databaseUrl: string,
  options: {
    gwenEndpoint: string;
    instances: number;
    env: Record<string, string>;
    instanceEnv?: (index: number) => Record<string, string>;
  },
): () => Promise<ServerProcess[]> {
  return async () => {
    const schema = `gwenmap_bench_${process.pid}_${schemas++}`;
    const url = new URL(databaseUrl);
    url.searchParams.set("schema", schema);
    const env = { ...options.env, GWENMAP_QUEUE_URL: url.toString() };
    const started = await Promise.all(
      Array.from({ length: options.instances }, (_, index) =>
        startServer(options.gwenEndpoint, { ...env, ...options.instanceEnv?.(index) }),
      ),
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
