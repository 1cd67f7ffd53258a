import type { ErrorObject } from "ajv";
import type { Violation } from "../engine/map-result.js";

type Schema = Readonly<Record<string, unknown>>;

/**
 * Turn ajv's errors into sentences a user can act on, in the style of
 * Segment's destinations (`User ID must be a valid uuid string but it was
 * not.`): fields are named by their schema `title`, the root is "The root
 * value", and the noise ajv emits around `anyOf`/`if` is folded into one line.
 */
export function describeViolations(
  errors: readonly ErrorObject[],
  schema: Schema,
  rootLabel = "The root value",
): Violation[] {
  const grouped = errors
    .filter((error) => error.keyword === "anyOf" || error.keyword === "oneOf")
    .map((error) => error.schemaPath);
  const violations: Violation[] = [];
  for (const error of errors) {
    if (error.keyword === "if") continue;
    if (grouped.some((path) => error.schemaPath.startsWith(`${path}/`))) continue;
    violations.push(describe(error, errors, { schema, rootLabel }));
  }
  return violations;
}

interface Labels {
  readonly schema: Schema;
  readonly rootLabel: string;
}

function describe(error: ErrorObject, all: readonly ErrorObject[], labels: Labels): Violation {
  const path = error.instancePath;
  const label = labelOf(labels.schema, path, labels.rootLabel);
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const field = String(params.missingProperty);
      return {
        path: `${path}/${field}`,
        message: `${label} is missing the required field '${field}'.`,
      };
    }
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      return {
        path: `${path}/${field}`,
        message: `${label} has a field '${field}' that is not defined: remove it or rename it.`,
        value: valueAt(value, field),
      };
    }
    case "format":
      return {
        path,
        message: `${label} must be a valid ${String(params.format)} string but it was not.`,
        value,
      };
    case "type":
      return {
        path,
        message: `${label} must be ${article(String(params.type))} but it was ${describeValue(value)}.`,
        value,
      };
    case "enum":
      return {
        path,
        message: `${label} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")} but it was ${quoted(value)}.`,
        value,
      };
    case "minLength":
      return {
        path,
        message:
          params.limit === 1
            ? `${label} must not be empty.`
            : `${label} must be at least ${String(params.limit)} characters long.`,
        value,
      };
    case "anyOf":
      return describeAnyOf(error, all, label);
    case "oneOf":
      return describeOneOf(error, all, label);
    default:
      return { path, message: `${label} ${error.message ?? "is invalid"}.`, value };
  }
}

/** `anyOf` of `required` branches means "one of these fields"; of typed branches, "one of these kinds of value". */
function describeAnyOf(error: ErrorObject, all: readonly ErrorObject[], label: string): Violation {
  const branches = all.filter((other) => other.schemaPath.startsWith(`${error.schemaPath}/`));
  if (branches.length > 0 && branches.every((branch) => branch.keyword === "required")) {
    const fields = branches.map(
      (branch) => `'${String((branch.params as Record<string, unknown>).missingProperty)}'`,
    );
    return {
      path: error.instancePath,
      message: `${label} needs one of the fields ${joinWith(fields, "or")}.`,
    };
  }
  const expected = branches.map((branch) => {
    const params = branch.params as Record<string, unknown>;
    if (branch.keyword === "type") return article(String(params.type));
    if (branch.keyword === "minLength" && params.limit === 1) return "a non-empty string";
    return branch.message ?? branch.keyword;
  });
  return {
    path: error.instancePath,
    message: `${label} must be ${joinWith([...new Set(expected)], "or")} but it was ${describeValue(error.data)}.`,
    value: error.data,
  };
}

/** `oneOf` of titled shapes: say which shapes were possible and what each one lacked. */
function describeOneOf(error: ErrorObject, all: readonly ErrorObject[], label: string): Violation {
  const branches = Array.isArray(error.schema) ? (error.schema as Schema[]) : [];
  const reasons = branches.map((branch, index) => {
    const title = typeof branch.title === "string" ? branch.title : `shape ${index + 1}`;
    const first = all.find((other) => other.schemaPath.startsWith(`${error.schemaPath}/${index}/`));
    const relative = first && {
      ...first,
      instancePath: first.instancePath.slice(error.instancePath.length),
    };
    const why = relative
      ? describe(relative, [], { schema: branch, rootLabel: "it" }).message
      : "it does not match";
    return { title, why: why.replace(/^it /, "").replace(/\.$/, "") };
  });
  const shapes = joinWith(
    reasons.map((reason) => article(reason.title)),
    "or",
  );
  const details = reasons
    .map((reason) => `as ${article(reason.title)} it ${reason.why}`)
    .join("; ");
  return {
    path: error.instancePath,
    message: `${label} must be ${shapes}: ${details}.`,
    value: error.data,
  };
}

/** The `title` of the schema property at a JSON pointer, else "The value at /x", "The root value" for "". */
export function labelOf(schema: Schema, pointer: string, rootLabel = "The root value"): string {
  if (pointer === "") return rootLabel;
  let node: Schema | undefined = schema;
  for (const segment of pointer.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    const properties = node?.properties as Record<string, Schema> | undefined;
    node = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
  }
  return typeof node?.title === "string" ? node.title : `The value at ${pointer}`;
}

/** A value as JSON in a message: cut short when long, described when it cannot be written (nested too deep). */
function quoted(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return describeValue(value);
  }
  if (text === undefined) return describeValue(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** How a value reads in a sentence: "an empty string", "null", "an array", ... */
export function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  return article(typeof value);
}

function article(type: string): string {
  if (type.includes(",")) return joinWith(type.split(",").map(article), "or");
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function joinWith(items: readonly string[], word: string): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}`;
}

function valueAt(container: unknown, key: string): unknown {
  return container !== null && typeof container === "object"
    ? (container as Record<string, unknown>)[key]
    : undefined;
}
