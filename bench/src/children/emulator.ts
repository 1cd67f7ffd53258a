/**
 * The GWEN emulator in its own process (so it has a core of its own, as GWEN
 * would): prints `{"url": ...}` on stdout once it listens. Records nothing,
 * so memory stays flat over long runs; counts are at `/_emulator/stats`.
 */
import { startEmulator } from "@gwenmap/gwen-adapter/emulator";

const emulator = await startEmulator({ record: false });
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
process.on("SIGTERM", () => {
  void emulator.close().then(() => process.exit(0));
});
