import { watch } from "chokidar";
import type { Logger } from "pino";

/** How long to wait for more file changes before reloading: an editor's save is often several writes. */
const SETTLE_MS = 150;

/**
 * Watches the mappings directory and calls `reload` once the `.jsonata`
 * files have stopped changing. Resolves once the watcher is ready; the
 * answer stops it.
 */
export async function watchMappings(
  dir: string,
  reload: () => Promise<unknown>,
  logger: Logger,
): Promise<() => Promise<void>> {
  const watcher = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    ignored: (path, stats) => stats?.isFile() === true && !path.endsWith(".jsonata"),
  });
  let timer: NodeJS.Timeout | undefined;
  const schedule = (path: string) => {
    if (!path.endsWith(".jsonata")) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      logger.info({ file: path }, "mapping files changed: reloading");
      void reload();
    }, SETTLE_MS);
  };
  watcher.on("add", schedule).on("change", schedule).on("unlink", schedule);
  watcher.on("error", (error) => logger.warn({ err: error }, "watching the mappings failed"));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
