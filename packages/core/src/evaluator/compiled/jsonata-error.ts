/**
 * Errors thrown by the compiled evaluator have the shape of jsonata's
 * (`{ code, position, token, value, message }`, plain objects, not Error
 * instances) so that callers cannot tell the two engines apart.
 */
export interface JsonataError {
  code: string;
  position?: number;
  token?: string;
  value?: unknown;
  value2?: unknown;
  index?: number;
  message?: string;
  [field: string]: unknown;
}

/** Create a jsonata-shaped error; its message is filled in when it leaves the evaluator. */
export function jsonataError(code: string, fields: Omit<JsonataError, "code"> = {}): JsonataError {
  return { code, ...fields };
}

/** True for anything thrown with a jsonata error code. */
export function isJsonataError(thrown: unknown): thrown is JsonataError {
  return (
    typeof thrown === "object" &&
    thrown !== null &&
    typeof (thrown as JsonataError).code === "string"
  );
}

/**
 * Message templates of jsonata 2.2.2 for the codes the compiled evaluator
 * raises itself (signature errors come from jsonata's own validator).
 * `{{x}}` inserts JSON.stringify(err.x), `{{{x}}}` inserts err.x.
 */
const templates: Record<string, string> = {
  T0410: "Argument {{index}} of function {{token}} does not match function signature",
  T0411: "Context value is not a compatible type with argument {{index}} of function {{token}}",
  T0412: "Argument {{index}} of function {{token}} must be an array of {{type}}",
  D1001: "Number out of range: {{value}}",
  D1002: "Cannot negate a non-numeric value: {{value}}",
  T1003: "Key in object structure must evaluate to a string; got: {{value}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: jsonata's template, not JavaScript's
  T1005: "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
  T1006: "Attempted to invoke a non-function",
  D1009: "Multiple key definitions evaluate to same key: {{value}}",
  T1010:
    "The matcher function argument passed to function {{token}} does not return the correct object structure",
  D1011:
    "Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive",
  D1012: "Evaluation timeout after {{value}} milliseconds. Check for infinite loop",
  D1013: "Object property names starting with _jsonata_ are reserved for internal use: {{value}}",
  T2001: "The left side of the {{token}} operator must evaluate to a number",
  T2002: "The right side of the {{token}} operator must evaluate to a number",
  T2003: "The left side of the range operator (..) must evaluate to an integer",
  T2004: "The right side of the range operator (..) must evaluate to an integer",
  T2006: "The right side of the function application operator ~> must be a function",
  T2009:
    "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
  T2010:
    "The expressions either side of operator {{token}} must evaluate to numeric or string values",
  D2014:
    "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}.",
  D2015: "The maximum sequence length of {{value}} was exceeded.",
  D3001: "Attempting to invoke string function on Infinity or NaN",
  D3010: "Second argument of replace function cannot be an empty string",
  D3011: "Fourth argument of replace function must evaluate to a positive number",
  D3012: "Attempted to replace a matched string with a non-string value",
  D3020: "Third argument of split function must evaluate to a positive number",
  D3030: "Unable to cast value to a number: {{value}}",
  D3050: "The second argument of reduce function must be a function with at least two arguments",
  D3060: "The sqrt function cannot be applied to a negative number: {{value}}",
  D3061:
    "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}",
  D3070:
    "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
  D3100: "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
  D3110:
    "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
  D3137: "{{{message}}}",
  D3138: "The $single() function expected exactly 1 matching result.  Instead it matched more.",
  D3139: "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: jsonata's template, not JavaScript's
  D3140: "Malformed URL passed to ${{{functionName}}}(): {{value}}",
  D3141: "{{{message}}}",
};

/** Fill in `message` from the code's template, as jsonata does when an error leaves `evaluate`. */
export function populateMessage(error: JsonataError): void {
  const template = templates[error.code];
  if (template === undefined) return;
  error.message = template
    .replace(/\{\{\{([^}]+)}}}/g, (_, field: string) => String(error[field]))
    .replace(/\{\{([^}]+)}}/g, (_, field: string) => String(JSON.stringify(error[field])));
}
