import { type Child, startChild } from "./child-process.js";

/** A server in a child process and the URL it listens on. */
export interface ChildServer {
  readonly url: string;
  readonly child: Child;
  stop(): Promise<void>;
}

/** Starts `src/children/<script>` and waits for the URL it announces. */
export async function startChildServer(
  script: string,
  args: readonly string[] = [],
): Promise<ChildServer> {
  const child = await startChild(script, { args });
  const url = child.announced.url;
  if (typeof url !== "string") throw new Error(`${script} announced no url`);
  return { url, child, stop: () => child.stop() };
}

/** Runs `body` with the servers started (all at once), and stops them whatever happens. */
export async function withChildServers<T>(
  starts: readonly (() => Promise<ChildServer>)[],
  body: (servers: ChildServer[]) => Promise<T>,
): Promise<T> {
  const started = await Promise.allSettled(starts.map((start) => start()));
  const servers = started.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  try {
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    return await body(servers);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
