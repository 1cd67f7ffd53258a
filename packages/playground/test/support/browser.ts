import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser
 * downloads need the open internet). `npm test` finds it through
 * scripts/ensure-chromium.sh and passes its path as GWENMAP_CHROMIUM_PATH.
 * `launch` gives it a fresh temporary profile; the flags keep it off the
 * network, which this machine closes.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.GWENMAP_CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
