/** The repository's one Chromium launcher for browser tests (scripts/chromium.ts). */
export { chromiumPath, launchChromium } from "../../../scripts/chromium.js";
