import { detailExplanation } from "@gwenmap/core";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { openInput } from "../events/open-input.js";
import { mapInputEvent, readEvents } from "../events/read-events.js";
import { describeExplanation } from "../map/describe-explanation.js";
import { describeRejection } from "../map/describe-rejection.js";
import {
  deliveryLine,
  notJsonLine,
  type OutputFormat,
  rejectionLine,
} from "../map/outcome-lines.js";
import { loadMappingSet } from "../mapping-set/load-mapping-set.js";
import { SourceFrames } from "../mapping-set/source-frames.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { stderrColors } from "../terminal/colors.js";
import { LineWriter } from "../terminal/line-writer.js";

export const examples = [
  "gwenmap map event.json",
  "gwenmap map events.ndjson --format request",
  'echo \'{"type":"track","event":"Signed Up","userId":"8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d"}\' | gwenmap map --explain',
];

export default defineCommand({
  meta: {
    name: "map",
    description:
      "Map events and print one JSON line per delivery or rejection; rejections are also explained on stderr; exit 1 on any rejection",
  },
  args: {
    input: {
      type: "positional",
      required: false,
      default: "-",
      valueHint: "FILE",
      description:
        "Events as NDJSON, pretty-printed JSON documents, a JSON array or a Segment batch body; - or nothing reads stdin (e.g. events.ndjson)",
    },
    mappings: mappingsArg,
    format: {
      type: "enum",
      options: ["payload", "request"],
      default: "payload",
      description:
        "payload: the action's payload; request: the GraphQL body GWEN would receive (e.g. --format request)",
    },
    explain: {
      type: "boolean",
      description:
        "Say on stderr, for every mapping, why it fired or did not: each trigger clause with its value, the fields dropped, the failing field and its value (e.g. --explain)",
    },
  },
  async run({ args }) {
    const set = await loadMappingSet(resolveMappingsDir(args.mappings));
    const input = await openInput(args.input ?? "-");
    const format = args.format as OutputFormat;
    const explain = Boolean(args.explain);
    const out = new LineWriter(process.stdout);
    const err = new LineWriter(process.stderr);
    const colors = stderrColors;
    const frames = new SourceFrames();
    let rejected = 0;
    for await (const document of readEvents(input.stream)) {
      if (!document.ok) {
        rejected++;
        await out.line(notJsonLine(document.line, document.message));
        await err.line(`${colors.red("rejected")} ${document.message}`);
        continue;
      }
      const { line } = document;
      const mapped = await mapInputEvent(set.engine, document, { explain });
      const result = mapped.explanation
        ? await detailExplanation(set.engine, document.value, mapped)
        : mapped;
      const { messageId } = result;
      for (const delivery of result.deliveries) {
        await out.line(deliveryLine(delivery, messageId, format));
      }
      for (const rejection of result.rejections) {
        rejected++;
        await out.line(rejectionLine(rejection, messageId, line));
        if (!result.explanation) {
          await err.line(describeRejection(rejection, line, { colors, frames }));
        }
      }
      if (result.explanation) {
        const context = { line, messageId, mappings: set.mappings, frames };
        await err.line(describeExplanation(result.explanation, context, colors));
      }
    }
    await out.flush();
    await err.flush();
    return rejected > 0 ? ExitCode.failure : ExitCode.ok;
  },
});
