import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Refusal } from "./refusal.js";
import { writeFolderFile } from "./write-folder-file.js";

let base: string;
let dir: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "gwenmap-playground-write-"));
  dir = join(base, "mappings");
  outside = join(base, "outside");
  await mkdir(join(dir, "sub"), { recursive: true });
  await mkdir(outside);
  await writeFile(join(dir, "send-event.jsonata"), "old", "utf8");
  await writeFile(join(outside, "secret.json"), "untouched", "utf8");
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refusal(path: string): Promise<Refusal> {
  const error = await writeFolderFile(dir, path, "written").then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

describe("writeFolderFile", () => {
  it("writes a mapping, one in a sub-folder, and a fixture (creating fixtures/), saying which are new", async () => {
    expect(await writeFolderFile(dir, "send-event.jsonata", "new text")).toBe(false);
    expect(await writeFolderFile(dir, "sub/page-view.jsonata", "page")).toBe(true);
    expect(await writeFolderFile(dir, "fixtures/a-case.json", "{}\n")).toBe(true);
    expect(await readFile(join(dir, "send-event.jsonata"), "utf8")).toBe("new text");
    expect(await readFile(join(dir, "sub", "page-view.jsonata"), "utf8")).toBe("page");
    expect(await readFile(join(dir, "fixtures", "a-case.json"), "utf8")).toBe("{}\n");
    // the temporary files were renamed into place: nothing else is left behind
    expect((await readdir(dir)).sort()).toEqual(["fixtures", "send-event.jsonata", "sub"]);
  });

  it.each([
    ["../outside/secret.json", "a path that climbs out"],
    ["fixtures/../../outside/x.json", "a fixture path that climbs out"],
    ["sub/../../outside/x.jsonata", "a mapping path that climbs out"],
    ["/etc/passwd.jsonata", "an absolute path"],
    [`${"x".repeat(3)}\\..\\x.jsonata`, "backslashes"],
    ["notes.txt", "a file that is neither a mapping nor a fixture"],
    ["fixtures/deep/case.json", "a fixture below fixtures/"],
    ["fixtures/x.jsonata", "a mapping inside fixtures/ (the loader skips it)"],
    [".hidden/x.jsonata", "a dot-folder (the loader skips it)"],
    ["node_modules/x.jsonata", "node_modules (the loader skips it)"],
    ["missing/x.jsonata", "a folder that does not exist"],
  ])("refuses %s (%s) and writes nothing", async (path) => {
    const error = await refusal(path);
    expect(error.code).toBe("E_PATH");
    expect(await readFile(join(outside, "secret.json"), "utf8")).toBe("untouched");
    expect((await readdir(outside)).sort()).toEqual(["secret.json"]);
  });

  it("refuses to write through a link to a file outside, and leaves the link and its target alone", async () => {
    await mkdir(join(dir, "fixtures"));
    await symlink(join(outside, "secret.json"), join(dir, "fixtures", "linked.json"));
    const error = await refusal("fixtures/linked.json");
    expect(error.message).toContain("is a link");
    expect(await readFile(join(outside, "secret.json"), "utf8")).toBe("untouched");
    expect((await lstat(join(dir, "fixtures", "linked.json"))).isSymbolicLink()).toBe(true);
  });

  it("refuses a linked folder that leads outside (fixtures/ or a sub-folder)", async () => {
    await symlink(outside, join(dir, "fixtures"));
    await symlink(outside, join(dir, "away"));
    expect((await refusal("fixtures/new.json")).message).toContain("a link leads out");
    expect((await refusal("away/new.jsonata")).message).toContain("a link leads out");
    expect((await readdir(outside)).sort()).toEqual(["secret.json"]);
  });

  it("writes into a mappings folder that is itself reached through a link", async () => {
    const linked = join(base, "linked-mappings");
    await symlink(dir, linked);
    expect(await writeFolderFile(linked, "send-event.jsonata", "via link")).toBe(false);
    expect(await readFile(join(dir, "send-event.jsonata"), "utf8")).toBe("via link");
  });
});
