import { readFile } from "node:fs/promises";

/** Follows a process's peak resident memory while it runs. */
export interface PeakRssWatch {
  /** Stops watching; the highest peak seen, in bytes (0 where /proc is missing). */
  stop(): Promise<number>;
}

/**
 * Reads the kernel's high-water mark of resident memory (`VmHWM` in
 * /proc/PID/status, Linux) every `intervalMs`. The kernel keeps the peak, so
 * polling misses nothing but the last interval before the process exits.
 */
export function watchPeakRss(pid: number, intervalMs = 100): PeakRssWatch {
  let peak = 0;
  const sample = async () => {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      if (match) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // The process has exited (or this is not Linux): keep the last peak.
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}
