import { readFile } from "node:fs/promises";

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ, fixed by its ABI). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, every thread) process `pid` has used so far, in
 * seconds, from /proc/PID/stat; undefined where there is no /proc.
 */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
