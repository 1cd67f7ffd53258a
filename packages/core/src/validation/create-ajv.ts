import { Ajv } from "ajv";
import addFormatsPlugin from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/**
 * An ajv instance set up the way gwenmap validates: every error reported
 * (users fix all problems in one go), offending values kept for messages,
 * formats such as `uuid` and `date-time` checked. Schemas come from action
 * contracts we do not control, so unknown keywords are tolerated. With
 * `coerce`, values are coerced as Segment's actions runtime coerces a
 * payload before its destination sends it (ajv's `coerceTypes: "array"`:
 * `123` becomes `"123"` for a string field, `["a"]` becomes `"a"`); such a
 * validator changes the data it checks.
 */
export function createAjv(options: { coerce?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    ...(options.coerce ? { coerceTypes: "array" as const } : {}),
  });
  addFormats(ajv);
  return ajv;
}
