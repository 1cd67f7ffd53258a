import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  type ValueNode,
  valueFromASTUntyped,
} from "graphql";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUuid(value: unknown): string {
  if (typeof value !== "string" || !UUID_PATTERN.test(value)) {
    throw new GraphQLError(
      `UUID cannot represent ${JSON.stringify(value) ?? String(value)}: expected 8-4-4-4-12 hexadecimal digits.`,
    );
  }
  return value;
}

/** GWEN's `UUID`: a string of 8-4-4-4-12 hexadecimal digits, nothing else. */
export const UUIDScalar = new GraphQLScalarType({
  name: "UUID",
  description: "A UUID string: 8-4-4-4-12 hexadecimal digits",
  serialize: parseUuid,
  parseValue: parseUuid,
  parseLiteral: (node: ValueNode) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError("UUID must be a string literal.");
    return parseUuid(node.value);
  },
});

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GraphQLError(
      `JSONObject cannot represent a non-object value: ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** GWEN's `JSONObject`: a JSON object (not an array, string, number or null). */
export const JSONObjectScalar = new GraphQLScalarType({
  name: "JSONObject",
  description: "A JSON object",
  serialize: parseObject,
  parseValue: parseObject,
  parseLiteral: (node: ValueNode, variables) => {
    if (node.kind !== Kind.OBJECT) throw new GraphQLError("JSONObject must be an object literal.");
    return parseObject(valueFromASTUntyped(node, variables));
  },
});
