import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onWorkerExit } from "../cleanup/worker-exit.js";

/**
 * A tiny tmpfs mounted on a fresh directory, to make a data directory run out
 * of space or turn read-only for real (as root, chmod stops nothing). Needs
 * root and mount permission: CI runs as root; `tryMount` says when it cannot.
 */
export class SmallFilesystem {
  readonly dir: string;
  #filler: string | undefined;

  readonly #forget: () => void;

  private constructor(dir: string) {
    this.dir = dir;
    // A test worker that ends without its hooks (interrupted, timed out) leaves no mount behind.
    this.#forget = onWorkerExit(() => {
      try {
        this.unmount();
      } catch {}
    });
  }

  /** Mounts a tmpfs of `sizeKb` KB; throws, saying why, when it cannot. */
  static mount(sizeKb: number): SmallFilesystem {
    const mounted = SmallFilesystem.tryMount(sizeKb);
    if (mounted instanceof SmallFilesystem) return mounted;
    throw new Error(
      `these tests mount a tmpfs to fill it (as root, chmod stops nothing); mount failed: ${mounted.reason}`,
    );
  }

  /** Mounts a tmpfs of `sizeKb` KB, or answers why it cannot. */
  static tryMount(sizeKb: number): SmallFilesystem | { reason: string } {
    const dir = mkdtempSync(join(tmpdir(), "gwenmap-small-fs-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], {
        stdio: "pipe",
      });
      return new SmallFilesystem(dir);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      return { reason: String((error as { stderr?: Buffer }).stderr ?? error).trim() };
    }
  }

  /** Writes a file until the filesystem has no space left. */
  fill(): void {
    this.#filler = join(this.dir, "filler");
    const fd = openSync(this.#filler, "w");
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    } finally {
      closeSync(fd);
    }
  }

  /** Removes what `fill` or `ballast` wrote. */
  free(): void {
    if (this.#filler) unlinkSync(this.#filler);
    this.#filler = undefined;
  }

  /** Takes `bytes` of the filesystem with a file of its own (as another program's data would). */
  ballast(bytes: number): void {
    this.#filler = join(this.dir, "ballast");
    const fd = openSync(this.#filler, "w");
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (let written = 0; written < bytes; written += chunk.length) {
        writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Bytes free on the filesystem, as `df` shows them. */
  freeBytes(): number {
    const stats = statfsSync(this.dir);
    return stats.bavail * stats.bsize;
  }

  /** Remounts read-only (`true`) or read-write. */
  readOnly(on: boolean): void {
    execFileSync("mount", ["-o", `remount,${on ? "ro" : "rw"}`, this.dir], { stdio: "pipe" });
  }

  unmount(): void {
    this.#forget();
    execFileSync("umount", ["-l", this.dir], { stdio: "pipe" });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
