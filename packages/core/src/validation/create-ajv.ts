import { Ajv } from "ajv";
import addFormatsPlugin from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/**
 * An ajv instance set up the way gwenmap validates: every error reported
 * (users fix all problems in one go), offending values kept for messages,
 * formats such as `uuid` and `date-time` checked. Schemas come from action
 * contracts we do not control, so unknown keywords are tolerated.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  addFormats(ajv);
  return ajv;
}
