import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newUserEnv,
  runShell,
  type ShellResult,
  startShell,
  stopShell,
  type WatchedOutput,
  watchOutput,
} from "./new-user-shell.js";
import { publishedPackages, repositoryRoot } from "./workspace-packages.js";

/**
 * gwenmap as a new user meets it: the packages as npm would publish them
 * (`npm pack`), installed into a fresh folder outside the monorepo, then the
 * commands of the root README's "Use it in your own repository" section, in
 * its order: the section's commands are read from the README and must be
 * exactly those run here.
 */
const execFileAsync = promisify(execFile);
const readme = new URL("../../../README.md", import.meta.url);
const userId = "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d";
const event = {
  type: "track",
  event: "Order Completed",
  userId,
  properties: { total: 12.5 },
};
const writeKey = "gwenmap-dev-write-key";

let home: string;
let tarballs: string[];
let cwd: string;
let server: ChildProcess | undefined;
let serverOutput: WatchedOutput | undefined;
/** The commands run so far, as the README writes them. */
const ran: string[] = [];
const env = newUserEnv({ PORT: "0", HOST: "127.0.0.1" });

/** Run a README command in the project; `actual` replaces it where the test must differ. */
async function run(command: string, actual = command): Promise<ShellResult> {
  ran.push(command);
  return runShell(actual, cwd, env);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "gwenmap-new-user-"));
  expect(relative(repositoryRoot, home).startsWith("..")).toBe(true);
  tarballs = await packEveryPackage(join(home, "tarballs"));
  cwd = home;
});

afterAll(async () => {
  if (server) await stopShell(server);
  rmSync(home, { recursive: true, force: true });
});

/** `npm pack` of every published package (all at once), as the registry would serve it. */
async function packEveryPackage(destination: string): Promise<string[]> {
  mkdirSync(destination, { recursive: true });
  return Promise.all(
    publishedPackages().map(async (pkg) => {
      if (!existsSync(join(pkg.dir, "dist"))) {
        throw new Error(`${pkg.manifest.name} is not built: run npm run build first`);
      }
      const { stdout } = await execFileAsync(
        "npm",
        ["pack", "--json", "--pack-destination", destination],
        { cwd: pkg.dir, encoding: "utf8" },
      );
      const packed = JSON.parse(stdout) as { filename: string }[];
      return join(destination, packed[0]!.filename);
    }),
  );
}

/** The packed tarballs of these gwenmap packages (`cli`, `server`, ...), space-separated. */
function tarballsOf(names: readonly string[]): string {
  return names
    .map((name) => {
      const packed = new RegExp(`/gwenmap-${name}-\\d[^/]*\\.tgz$`);
      const tarball = tarballs.find((file) => packed.test(file));
      expect(tarball, `the tarball of @gwenmap/${name}`).toBeDefined();
      return tarball;
    })
    .join(" ");
}

/** npm's warnings in an install's output (EBADENGINE, install scripts not allowed, deprecations, ...). */
function warnings(output: string): string[] {
  return output.split("\n").filter((line) => /^npm warn/i.test(line));
}

/** What the emulator at `origin` received (`GET /_emulator/requests`), once it received anything. */
async function receivedBy(origin: string, timeoutMs: number): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const requests = (await (await fetch(`${origin}/_emulator/requests`)).json()) as unknown[];
    if (requests.length > 0 || Date.now() > deadline) return requests;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The command lines of the ```sh blocks in the README's "Use it in your own
 * repository" section, comments and blank lines left out.
 */
function sectionCommands(): string[] {
  const [, text = ""] =
    /\n## Use it in your own repository\n([\s\S]*?)(?=\n## |$)/.exec(
      readFileSync(readme, "utf8"),
    ) ?? [];
  expect(text, "the README's section").not.toBe("");
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("a new user's own mappings repository", () => {
  it("starts as an empty folder and a git repository", async () => {
    ran.push("mkdir my-gwen-mappings");
    mkdirSync(join(home, "my-gwen-mappings"));
    ran.push("cd my-gwen-mappings");
    cwd = join(home, "my-gwen-mappings");
    expect((await run("git init")).code).toBe(0);
  });

  it("installs @gwenmap/cli (here: the packed tarballs) without the monorepo, light and without a warning", async () => {
    // The registry has no release of this checkout: the tarballs stand in for @gwenmap/cli
    // and its gwenmap dependencies; everything else comes from the registry.
    const result = await run(
      "npm install --save-dev @gwenmap/cli",
      `npm install --save-dev ${tarballsOf(["cli", "core", "gwen-adapter"])}`,
    );
    expect(result.code, result.output).toBe(0);
    expect(warnings(result.output)).toEqual([]);
    for (const name of ["cli", "core", "gwen-adapter"]) {
      // Real folders unpacked from the tarballs, not links back into the monorepo.
      const installed = join(cwd, "node_modules/@gwenmap", name);
      expect({ name, link: lstatSync(installed).isSymbolicLink() }).toEqual({ name, link: false });
    }
    expect(existsSync(join(cwd, "node_modules/@gwenmap/cli/templates/mappings"))).toBe(true);
    // The server is an optional part: none of it, nor its native build, comes with the CLI.
    for (const name of ["@gwenmap/server", "fastify", "pg", "better-sqlite3"]) {
      expect({ name, installed: existsSync(join(cwd, "node_modules", name)) }).toEqual({
        name,
        installed: false,
      });
    }
  }, 300_000);

  it("scaffolds the repository with gwenmap init", async () => {
    const result = await run("npx gwenmap init");
    expect(result.code, result.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8"));
    expect(manifest.scripts).toEqual({ validate: "gwenmap validate", test: "gwenmap test" });
    expect(manifest.devDependencies["@gwenmap/cli"]).toMatch(/gwenmap-cli-.*\.tgz$/);
    expect(manifest.allowScripts).toEqual({ "better-sqlite3": true });
    const fixture = JSON.parse(
      readFileSync(join(cwd, "mappings/fixtures/track-order-completed.json"), "utf8"),
    );
    expect(existsSync(join(cwd, "mappings/fixtures", fixture.$schema))).toBe(true);
    expect(existsSync(join(cwd, ".github/workflows/gwenmap.yml"))).toBe(true);
  }, 60_000);

  it("commits the scaffold, so that git diff shows each later change", async () => {
    expect((await run("git add -A")).code).toBe(0);
    const message = "Scaffold the mappings repository with gwenmap init";
    const commit = await run(
      `git commit -m "${message}"`,
      `git -c user.name=gwenmap-tests -c user.email=tests@gwenmap.invalid commit -q -m "${message}"`,
    );
    expect(commit.code, commit.output).toBe(0);
  }, 60_000);

  it("refuses to scaffold over what exists", async () => {
    const result = await runShell("npx gwenmap init", cwd, env);
    expect(result.code).toBe(1);
    expect(result.output).toContain("nothing was written");
    expect(result.output).toContain("mappings/send-event.jsonata");
  }, 60_000);

  it("validates and tests the presets", async () => {
    const validate = await run("npx gwenmap validate");
    expect(validate.code, validate.output).toBe(0);
    expect(validate.output).toContain("2 mappings and 14 fixtures in mappings are valid");
    const test = await run("npx gwenmap test");
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain("14 passed, 0 failed");
  }, 60_000);

  it("fails the fixtures with a diff when a mapping changes", async () => {
    const file = join(cwd, "mappings/send-event.jsonata");
    const mapping = readFileSync(file, "utf8");
    expect(mapping).toContain('"type": type');
    writeFileSync(file, mapping.replace('"type": type', '"type": event'));
    const result = await run("npx gwenmap test");
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/✗ track-order-completed/);
    expect(result.output).toMatch(/-\s+"type": "track"/);
    expect(result.output).toMatch(/\+\s+"type": "Order Completed"/);
    expect(result.output).toContain("11 passed, 3 failed");
  }, 60_000);

  it("records the new output with --update, one line per fixture in git diff, and then passes", async () => {
    const update = await run("npx gwenmap test --update");
    expect(update.code, update.output).toBe(0);
    const diff = await run("git diff");
    expect(diff.output).toContain('-        "type": "track",\n+        "type": "Order Completed",');
    const numstat = await runShell("git diff --numstat", cwd, env);
    expect(numstat.output.trim().split("\n").sort()).toEqual([
      "1\t1\tmappings/fixtures/track-nested-unicode-properties.json",
      "1\t1\tmappings/fixtures/track-order-completed.json",
      "1\t1\tmappings/fixtures/track-without-properties.json",
      "1\t1\tmappings/send-event.jsonata",
    ]);
    const fixture = JSON.parse(
      readFileSync(join(cwd, "mappings/fixtures/track-order-completed.json"), "utf8"),
    );
    expect(fixture.$schema).toBe("../../node_modules/@gwenmap/core/schemas/fixture.schema.json");
    expect(fixture.expect[0].payload.type).toBe("Order Completed");
    const test = await run("npx gwenmap test");
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain("14 passed, 0 failed");
  }, 60_000);

  it("says in one line how to add the server when it is not installed", async () => {
    const result = await runShell("npx gwenmap serve --emulator", cwd, env);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(
      "error gwenmap serve needs the server, which is not installed: npm install --save-dev @gwenmap/server",
    );
  }, 60_000);

  it("installs the server beside the CLI, without a warning (no EBADENGINE on Node 20)", async () => {
    const result = await run(
      "npm install --save-dev @gwenmap/server",
      `npm install --save-dev ${tarballsOf(["server"])}`,
    );
    expect(result.code, result.output).toBe(0);
    expect(warnings(result.output)).toEqual([]);
    expect(lstatSync(join(cwd, "node_modules/@gwenmap/server")).isSymbolicLink()).toBe(false);
    expect(existsSync(join(cwd, "node_modules/better-sqlite3/build/Release"))).toBe(true);
  }, 600_000);

  it("serves with the emulator, which receives a track call", async () => {
    ran.push("npx gwenmap serve --emulator");
    server = startShell("npx gwenmap serve --emulator", cwd, env);
    serverOutput = watchOutput(server);
    const [, url] = await serverOutput.waitFor(
      /gwenmap server listening on (http:\/\/[^\s,]+)/,
      30_000,
    );
    const body = JSON.stringify(event);
    ran.push(
      `curl -u ${writeKey}: -H 'content-type: application/json' -d '${body}' http://127.0.0.1:3000/v1/track`,
    );
    const answer = await fetch(`${url}/v1/track`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body,
    });
    expect(answer.status, await answer.text()).toBe(200);
    const [, emulator = ""] = await serverOutput.waitFor(
      /IN-PROCESS GWEN EMULATOR AT (http:\/\/\S+?)\/graphql/,
      30_000,
    );
    const requests = await receivedBy(emulator, 30_000);
    expect(requests).toEqual([
      expect.objectContaining({
        operationName: "SendEvent",
        variables: { userId, type: "Order Completed", data: { total: 12.5 } },
      }),
    ]);
  }, 90_000);

  it("ran exactly the commands of the README section, in its order", () => {
    expect(ran).toEqual(sectionCommands());
  });
});
