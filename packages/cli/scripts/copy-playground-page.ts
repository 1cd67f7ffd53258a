/**
 * Part of the CLI's build: copy the built playground page from
 * @gwenmap/playground (built first: it is a dependency of this package) into
 * dist/playground-page/, so the published CLI ships the page that
 * `gwenmap playground` serves.
 */
import { cp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve("@gwenmap/playground/package.json")), "dist", "page");
const target = fileURLToPath(new URL("../dist/playground-page/", import.meta.url));

await rm(target, { recursive: true, force: true });
await cp(source, target, { recursive: true });
