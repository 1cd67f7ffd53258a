import fc from "fast-check";

const CALL_TYPES = ["track", "identify", "page", "screen", "group", "alias"] as const;

/** Keys that trip naive code: dotted paths, prototype names, JSON Pointer and URI characters. */
const oddKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "a.b",
  "$.userId",
  "a/b",
  "~0",
  "a:b",
  "http://x",
  "",
  " ",
  "ip",
  "userAgent",
  "日本",
  "😀",
);

const key = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: oddKey },
);

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);

const scalar = fc.oneof(
  text,
  fc.constant(""),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);

/** JSON values with odd keys, a few levels deep. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A value where a string is usual: the right kind mostly, any other kind too. */
function oddly<T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: right },
    { weight: 1, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(right, { minLength: 1, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom([], {}, [[]], [null]) },
    { weight: 1, arbitrary: json },
  );
}

const uuid = fc
  .uuid()
  .chain((id) =>
    fc.constantFrom(id, id.toUpperCase(), `urn:uuid:${id}`, ` ${id}`, id.slice(0, 35)),
  );

const userId = fc.oneof({ weight: 6, arbitrary: fc.uuid() }, { weight: 2, arbitrary: oddly(uuid) });

const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.integer({ min: 0, max: 2 ** 32 - 1 }));

const userAgent = fc.oneof(
  fc.constantFrom("Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "Åre 🐻 agent"),
  text,
);

const contextObject = fc.record(
  { ip: oddly(ip), userAgent: oddly(userAgent), library: json, traits: json, extra: json },
  { requiredKeys: [] },
);

const context = fc.oneof(
  { weight: 6, arbitrary: contextObject },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(contextObject, { maxLength: 2 }) },
  { weight: 1, arbitrary: scalar },
);

/** Properties now and then big enough to cross Segment's 32 KB for one call. */
const properties = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(key, json, { maxKeys: 6 }) },
  { weight: 2, arbitrary: json },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 20_000, max: 40_000 })
      .map((size) => ({ blob: "x".repeat(size), "a.b": { __proto__: null, "😀": 1 } })),
  },
);

/**
 * Segment events as sources send them, well formed or not: every call type
 * and some that are not, each field absent, right, null, empty or of another
 * kind, unicode, dotted and `__proto__` keys, now and then over 32 KB.
 */
export const segmentEvents: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    type: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom("track", "identify") },
      { weight: 4, arbitrary: fc.constantFrom(...CALL_TYPES) },
      { weight: 1, arbitrary: fc.constantFrom("Track", "TRACK", "identity", "batch") },
      { weight: 1, arbitrary: scalar },
    ),
    event: oddly(fc.constantFrom("Order Completed", "Signed Up", "Level Completed")),
    userId,
    anonymousId: oddly(fc.string({ minLength: 1, maxLength: 12 })),
    previousId: oddly(fc.string({ maxLength: 12 })),
    groupId: oddly(fc.string({ maxLength: 12 })),
    messageId: oddly(fc.uuid()),
    name: oddly(text),
    properties,
    traits: oddly(fc.dictionary(key, json, { maxKeys: 4 })),
    context,
    integrations: json,
    timestamp: oddly(fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
    "a.b": json,
  },
  { requiredKeys: ["type"] },
);
