/**
 * A PostgreSQL cluster of a test's own, for the tests that stop, kill or
 * restart PostgreSQL: initdb into a temporary directory, on 127.0.0.1 and a
 * free port, trusting loopback connections. The shared cluster of
 * `scripts/ensure-postgres.sh` is never touched. As root, the cluster runs as
 * the `postgres` user (initdb refuses root), as that script does.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { onWorkerExit } from "../cleanup/worker-exit.js";

const DATABASE = "gwenmap_faults";

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/gwenmap_faults`. */
  readonly url: string;
  /** `pg_ctl stop -m fast`: every connection is closed, as a planned restart does. */
  stop(): void;
  /** Starts the cluster again (after `stop` or `kill`; crash recovery runs after a kill). */
  start(): void;
  /** SIGKILL to the postmaster and every one of its processes, as a crash of the database server. */
  kill(): number;
  /** `pg_terminate_backend` on every connection gwenmap opened (a failover); answers how many. */
  terminateGwenmap(): Promise<number>;
  /** Connections gwenmap has open now. */
  gwenmapConnections(): Promise<number>;
  /** Opens connections until the server refuses more (`max_connections`); answers how many it took. */
  takeAllConnections(): Promise<number>;
  /** Closes what `takeAllConnections` opened. */
  releaseConnections(): Promise<void>;
  /** Stops the cluster at once and removes its directory. */
  destroy(): Promise<void>;
}

/** Initialises and starts a private cluster; `maxConnections` bounds its connections (default 100). */
export async function startPrivatePostgres(
  options: { maxConnections?: number } = {},
): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const home = mkdtempSync(join(tmpdir(), "gwenmap-private-pg-"));
  const data = join(home, "data");
  if (isRoot()) chownSync(home, ...postgresIds());
  asOwner(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
    ["--locale=C", "--no-sync"],
  );
  const port = await freePort();
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${home}`,
    `-c max_connections=${options.maxConnections ?? 100}`,
    // Keep reserved slots small so that a test can take every other one.
    "-c superuser_reserved_connections=1",
  ].join(" ");
  const start = () =>
    asOwner(
      join(bin, "pg_ctl"),
      ["-D", data, "-l", join(home, "server.log"), "-w", "-t", "30"],
      ["start", "-o", settings],
    );
  const stopAtOnce = () => {
    try {
      asOwner(join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "30"], ["stop", "-m", "immediate"]);
    } catch {}
    rmSync(home, { recursive: true, force: true });
  };
  // A test worker that ends without its hooks (interrupted, timed out) leaves no cluster behind.
  const forget = onWorkerExit(stopAtOnce);
  start();
  asOwner(
    join(bin, "createdb"),
    ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"],
    [DATABASE],
  );
  const url = `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
  let hogs: pg.Client[] = [];

  // While every slot is taken, queries go through one of the connections holding them.
  const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const held = hogs[0];
    if (held) return work(held);
    const client = new pg.Client({ connectionString: url, application_name: "gwenmap-test" });
    client.on("error", () => {});
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  };

  return {
    url,
    stop() {
      asOwner(join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "30"], ["stop", "-m", "fast"]);
    },
    start,
    kill() {
      const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const victims = [postmaster, ...childrenOf(postmaster)];
      for (const pid of victims) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
      return victims.length;
    },
    terminateGwenmap: () =>
      withClient(async (client) => {
        const { rows } = await client.query<{ count: string }>(
          "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS count FROM pg_stat_activity WHERE application_name = 'gwenmap'",
        );
        return Number(rows[0]?.count ?? 0);
      }),
    gwenmapConnections: () =>
      withClient(async (client) => {
        const { rows } = await client.query<{ count: string }>(
          "SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = 'gwenmap'",
        );
        return Number(rows[0]?.count ?? 0);
      }),
    async takeAllConnections() {
      for (;;) {
        const client = new pg.Client({ connectionString: url, application_name: "gwenmap-hog" });
        client.on("error", () => {});
        try {
          await client.connect();
        } catch (error) {
          if (!/too many clients|reserved for/i.test((error as Error).message)) throw error;
          return hogs.length;
        }
        hogs.push(client);
      }
    },
    async releaseConnections() {
      await Promise.all(hogs.map((client) => client.end().catch(() => {})));
      hogs = [];
    },
    async destroy() {
      await Promise.all(hogs.map((client) => client.end().catch(() => {})));
      forget();
      stopAtOnce();
    },
  };
}

function postgresBinaries(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "initdb"))) return bin;
  }
  throw new Error(
    "no PostgreSQL binaries under /usr/lib/postgresql: run scripts/ensure-postgres.sh (it installs Debian's postgresql package)",
  );
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return [uid, gid];
}

/** Runs a PostgreSQL binary as the cluster's owner: `postgres` when we are root. */
function asOwner(command: string, args: string[], more: string[]): void {
  const all = [...args, ...more];
  const [file, argv] = isRoot()
    ? ["runuser", ["-u", "postgres", "--", command, ...all]]
    : [command, all];
  execFileSync(file, argv, { stdio: "pipe", cwd: "/" });
}

function childrenOf(pid: number): number[] {
  let out: string;
  try {
    out = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { stdio: "pipe" }).toString();
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out.trim() === "" ? [] : out.trim().split(/\s+/).map(Number);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
