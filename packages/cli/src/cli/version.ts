import { readFileSync } from "node:fs";

/** The version of @gwenmap/cli, read from its package.json next to `dist/`. */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
  ) as { version?: string };
  return manifest.version ?? "unknown";
}
