import type { CommandEntry } from "./command-module.js";

/** Every gwenmap command, in the order `gwenmap --help` lists them. Loaded lazily. */
export const commands: readonly CommandEntry[] = [
  {
    name: "init",
    summary: "Scaffold a mappings repository: presets, fixtures, scripts, CI workflow, README",
    load: () => import("../commands/init.js"),
  },
  {
    name: "validate",
    summary: "Compile every mapping and fixture and list every problem",
    load: () => import("../commands/validate.js"),
  },
  {
    name: "test",
    summary: "Run the fixtures; show a diff for each mismatch (--update, --watch, --coverage)",
    load: () => import("../commands/test.js"),
  },
  {
    name: "map",
    summary: "Map events (JSON or NDJSON) and print what would be sent (--explain says why)",
    load: () => import("../commands/map.js"),
  },
  {
    name: "playground",
    summary: "Edit a mapping in the browser and see what GWEN would receive as you type",
    load: () => import("../commands/playground.js"),
  },
  {
    name: "send",
    summary: "Backfill an NDJSON file of events to GWEN, with retries and a failures file",
    load: () => import("../commands/send.js"),
  },
  {
    name: "mv",
    summary: "Rename a mapping: its file (git mv when tracked) and its name in every fixture",
    load: () => import("../commands/mv.js"),
  },
  {
    name: "diff",
    summary: "Show how the fixtures' output changes against a git revision",
    load: () => import("../commands/diff.js"),
  },
  {
    name: "check-auth",
    summary: "Check that GWEN accepts the API key",
    load: () => import("../commands/check-auth.js"),
  },
  {
    name: "emulator",
    summary: "Run a local GWEN emulator in the foreground, with optional faults",
    load: () => import("../commands/emulator.js"),
  },
  {
    name: "serve",
    summary: "Run the server: Segment's tracking API in, durable delivery to GWEN out",
    load: () => import("../commands/serve.js"),
  },
  {
    name: "dead-letters",
    summary: "List and replay the server's dead letters (list, replay)",
    load: () => import("../commands/dead-letters.js"),
  },
];
