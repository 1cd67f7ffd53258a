import { defineCommand } from "citty";
import { adminRequest, adminTarget } from "../admin/admin-request.js";
import type { OptionChecks } from "../cli/command-module.js";
import { ExitCode } from "../cli/exit-code.js";
import { UsageError } from "../errors.js";
import { parseWholeNumber } from "../options/resolve-options.js";
import { stdoutColors } from "../terminal/colors.js";

export const examples = [
  "GWENMAP_ADMIN_TOKEN=... gwenmap dead-letters list",
  "gwenmap dead-letters list --state rejected --mapping send-event --json",
  "gwenmap dead-letters replay --mapping send-event     # after fixing the mapping",
  "gwenmap dead-letters replay --all --state dead        # after GWEN is back",
];

/** The number options of both sub-commands, parsed in one place: by them, and checked before they run. */
const parse = {
  limit: (value?: string) => parseWholeNumber("limit", value, { min: 1, max: 1000, example: 50 }),
  after: (value?: string) => parseWholeNumber("after", value, { min: 0, example: 120 }),
  id: (value?: string) =>
    value?.split(",").map((id) => parseWholeNumber("id", id.trim(), { min: 1, example: 12 })),
};

export const optionChecks: OptionChecks = parse;

const connection = {
  server: {
    type: "string",
    valueHint: "URL",
    description:
      "The gwenmap server; GWENMAP_SERVER, default http://127.0.0.1:$PORT or :3000 (e.g. --server http://127.0.0.1:3000)",
  },
  "admin-token": {
    type: "string",
    valueHint: "TOKEN",
    description:
      'The server\'s admin token; GWENMAP_ADMIN_TOKEN, never printed (e.g. --admin-token "$GWENMAP_ADMIN_TOKEN")',
  },
  state: {
    type: "enum",
    options: ["dead", "rejected"] as string[],
    description: "Only dead deliveries or only rejected events (e.g. --state dead)",
  },
  mapping: {
    type: "string",
    valueHint: "NAME",
    description: "Only the records of one mapping (e.g. --mapping send-event)",
  },
} as const;

interface FailureRecord {
  id: number;
  state: string;
  messageId: string;
  mapping?: string;
  attempts: number;
  reason: { code: string; message: string; status?: number };
}

const list = defineCommand({
  meta: {
    name: "dead-letters list",
    description: "List dead deliveries and rejected events with their reasons",
  },
  args: {
    ...connection,
    limit: {
      type: "string",
      valueHint: "N",
      description: "Most records to show, up to 1000 (e.g. --limit 50)",
    },
    after: {
      type: "string",
      valueHint: "ID",
      description: "Start after this record id, for the next page (e.g. --after 120)",
    },
    json: { type: "boolean", description: "Print the page as JSON (e.g. --json)" },
  },
  async run({ args }) {
    const target = adminTarget(args);
    const query = new URLSearchParams();
    if (args.state) query.set("state", args.state);
    if (args.mapping) query.set("mapping", args.mapping);
    const limit = parse.limit(args.limit);
    const after = parse.after(args.after);
    if (limit !== undefined) query.set("limit", String(limit));
    if (after !== undefined) query.set("after", String(after));
    const suffix = query.size > 0 ? `?${query}` : "";
    const page = (await adminRequest(target, `/admin/dead-letters${suffix}`, {
      method: "GET",
    })) as {
      items: FailureRecord[];
      nextAfterId?: number;
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(page)}\n`);
      return ExitCode.ok;
    }
    const c = stdoutColors;
    for (const item of page.items) {
      const status = item.reason.status ? ` HTTP ${item.reason.status}` : "";
      process.stdout.write(
        `${c.bold(`#${item.id}`)} ${item.state} ${item.mapping ?? "(event)"} messageId ${item.messageId}, ${item.attempts} attempts: ${item.reason.code}${status} ${item.reason.message}\n`,
      );
    }
    process.stdout.write(
      `${page.items.length} records${page.nextAfterId ? `; more with --after ${page.nextAfterId}` : ""}\n`,
    );
    return ExitCode.ok;
  },
});

const replay = defineCommand({
  meta: {
    name: "dead-letters replay",
    description:
      "Send dead or rejected records through the current mappings again: all, one mapping's, or by id",
  },
  args: {
    ...connection,
    all: { type: "boolean", description: "Replay every record (narrow with --state) (e.g. --all)" },
    id: {
      type: "string",
      valueHint: "IDS",
      description: "Comma-separated record ids (e.g. --id 12,13)",
    },
  },
  async run({ args }) {
    const target = adminTarget(args);
    const state = args.state ? { state: args.state } : {};
    const ids = parse.id(args.id);
    const body = ids
      ? { ids }
      : args.mapping
        ? { mapping: args.mapping, ...state }
        : args.all
          ? { all: true, ...state }
          : undefined;
    if (!body) throw new UsageError("say what to replay: --all, --mapping NAME or --id 12,13");
    const answer = (await adminRequest(target, "/admin/dead-letters/replay", {
      method: "POST",
      body,
    })) as {
      replayed: number;
    };
    process.stdout.write(`${answer.replayed} records marked for replay\n`);
    return ExitCode.ok;
  },
});

export default defineCommand({
  meta: {
    name: "dead-letters",
    description: "List and replay the server's dead letters (needs GWENMAP_ADMIN_TOKEN)",
  },
  subCommands: { list, replay },
});
