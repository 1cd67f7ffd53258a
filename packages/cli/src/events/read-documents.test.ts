import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type InputDocument, readDocuments } from "./read-documents.js";

async function read(text: string): Promise<InputDocument[]> {
  const documents: InputDocument[] = [];
  for await (const document of readDocuments(Readable.from([text]))) documents.push(document);
  return documents;
}

const summary = (documents: InputDocument[]) =>
  documents.map((d) => (d.ok ? { line: d.line, value: d.value } : { line: d.line, error: d.text }));

describe("readDocuments", () => {
  it("reads NDJSON, skipping blank lines, with each document's line number", async () => {
    expect(summary(await read('{"a":1}\n\n{"b":2}\r\n{"c":3}'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { b: 2 } },
      { line: 4, value: { c: 3 } },
    ]);
  });

  it("reports a line that is not JSON with its line and column, and goes on", async () => {
    const documents = await read('{"a":1}\n{"b": oops}\n{"c":3}\n');
    expect(summary(documents)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, error: '{"b": oops}' },
      { line: 3, value: { c: 3 } },
    ]);
    expect(documents[1]).toMatchObject({
      column: 7,
      message: expect.stringContaining('line 2, column 7 is not JSON: unexpected character "o"'),
    });
  });

  it("reads pretty-printed documents spread over lines, numbered by their first line", async () => {
    const text = `${JSON.stringify({ a: 1 }, null, 2)}\n${JSON.stringify({ b: [1, 2] }, null, 2)}\n`;
    expect(summary(await read(text))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: [1, 2] } },
    ]);
  });

  it("gives up on a document that never closes and reads the lines after it on their own", async () => {
    expect(summary(await read('{"a": 1,\n{"b":2}\n{"c":3}\n'))).toEqual([
      { line: 1, error: '{"a": 1,' },
      { line: 2, value: { b: 2 } },
      { line: 3, value: { c: 3 } },
    ]);
  });

  it("reports a document cut off at the end of the input", async () => {
    expect(summary(await read('{"a":1}\n{"b":'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, error: '{"b":' },
    ]);
  });

  it("ignores a byte order mark", async () => {
    expect(summary(await read('\uFEFF{"a":1}\n'))).toEqual([{ line: 1, value: { a: 1 } }]);
  });

  it("reads a 27 KB event pretty-printed over 1,500 lines as one document", async () => {
    const properties = Object.fromEntries(
      Array.from({ length: 1_500 }, (_, i) => [`k${i}`, `v${i}`]),
    );
    const event = { type: "track", event: "Big", userId: "u", properties };
    const text = JSON.stringify(event, null, 2);
    expect(text.split("\n").length).toBeGreaterThan(1_500);
    expect(text.length).toBeGreaterThan(27_000);
    expect(summary(await read(`${text}\n${JSON.stringify({ after: 1 })}\n`))).toEqual([
      { line: 1, value: event },
      { line: text.split("\n").length + 1, value: { after: 1 } },
    ]);
  });

  it("gives the elements of a JSON array one by one, pretty-printed or on one line", async () => {
    const pretty = JSON.stringify([{ a: 1 }, { b: 2 }], null, 2);
    expect(summary(await read(`${pretty}\n[{"c":3},{"d":4}]\n`))).toEqual([
      { line: 2, value: { a: 1 } },
      { line: 5, value: { b: 2 } },
      { line: 9, value: { c: 3 } },
      { line: 9, value: { d: 4 } },
    ]);
  });

  it("reads several documents on one line, and keeps __proto__ keys as data", async () => {
    const documents = await read('{"a":1} {"__proto__":{"x":1}}[2,3]\n');
    expect(summary(documents)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 1, value: JSON.parse('{"__proto__":{"x":1}}') },
      { line: 1, value: 2 },
      { line: 1, value: 3 },
    ]);
    const second = documents[1];
    expect(second?.ok && Object.hasOwn(second.value as object, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(second?.ok ? second.value : null)).toBe(Object.prototype);
  });

  it("skips a broken pretty-printed document to the next one, saying which lines", async () => {
    const text = '{\n  "a": 1,\n  "b": oops\n  "c": 3\n}\n{\n  "d": 4\n}\n';
    const documents = await read(text);
    expect(summary(documents)).toEqual([
      { line: 1, error: '{\n  "a": 1,\n  "b": oops\n  "c": 3\n}' },
      { line: 6, value: { d: 4 } },
    ]);
    expect(documents[0]).toMatchObject({
      column: 8,
      message: expect.stringContaining(
        'line 3, column 8 is not JSON: unexpected character "o" (in the document of lines 1 to 5, which was skipped)',
      ),
    });
  });

  it("reads any JSON, pretty-printed or not, exactly as JSON.parse does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(0, 2, "\t"),
        async (values, indent) => {
          const objects = values.map((value) => ({ value }));
          const text = objects.map((object) => JSON.stringify(object, null, indent)).join("\n");
          const documents = await read(text);
          expect(documents.map((d) => (d.ok ? d.value : d))).toEqual(
            objects.map((object) => JSON.parse(JSON.stringify(object))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
