import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { CliError } from "../errors.js";

/** An input to read events from: a file, or stdin for `-`. */
export interface EventInput {
  readonly stream: Readable;
  /** Bytes in the file (undefined for stdin), for progress. */
  readonly size?: number;
  readonly name: string;
}

/** Open a file (or stdin for `-`) now, so a missing file is an error before any work. */
export async function openInput(path: string): Promise<EventInput> {
  if (path === "-") return { stream: process.stdin, name: "stdin" };
  try {
    const handle = await open(path, "r");
    const { size } = await handle.stat();
    return { stream: handle.createReadStream({ highWaterMark: 256 * 1024 }), size, name: path };
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === "ENOENT"
        ? "does not exist"
        : `cannot be read (${(cause as Error).message})`;
    throw new CliError("E_FILE", `the input file ${path} ${reason}`, { cause });
  }
}
