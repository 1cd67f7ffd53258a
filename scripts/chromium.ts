/**
 * Debian's Chromium for the browser tests, driven through playwright-core
 * (Playwright's own browser downloads need the open internet). Shared by
 * every workspace that tests in a browser.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

/**
 * Flags that keep Chromium off the network except for what a page asks:
 * without the background-networking ones its own connections are refused by
 * closed networks and slow every start. Playwright gives each launch a fresh
 * temporary profile.
 */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Debian's Chromium: `GWENMAP_CHROMIUM_PATH` (set by `npm test`), else what
 * scripts/ensure-chromium.sh finds or installs.
 */
export function chromiumPath(): string {
  const configured = process.env.GWENMAP_CHROMIUM_PATH;
  if (configured) return configured;
  const script = fileURLToPath(new URL("ensure-chromium.sh", import.meta.url));
  const output = execFileSync("bash", [script], { encoding: "utf8" });
  const path = output.trim().split("\n").at(-1) ?? "";
  if (!path.startsWith("/")) throw new Error("scripts/ensure-chromium.sh found no Chromium");
  return path;
}

/** A headless Chromium driven through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
}
