import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { REPOSITORY, SERVER_MAIN } from "../server/spawn-server.js";

/** A server process whose every byte of output is kept, JSON or not. */
export interface CapturedServer {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  readonly exited: Promise<number | NodeJS.Signals>;
  /** The URL it listens on (resolves once it says so), or rejects when it exits first. */
  readonly url: Promise<string>;
}

/** Starts `node packages/server/dist/main.js` with exactly `env` (plus PATH), keeping all output. */
export function spawnCapturedServer(env: Record<string, string>): CapturedServer {
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = once(child, "exit").then(
    ([code, signal]) => (code ?? signal) as number | NodeJS.Signals,
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const found = /"url":"(http:\/\/[^"]+)"/.exec(text);
      if (found?.[1]) resolve(found[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((how) => reject(new Error(`the server exited (${how}):\n${text}`)));
  });
  return { child, output: () => text, exited, url };
}
