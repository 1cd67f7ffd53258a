import { Readable } from "node:stream";
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
      message: expect.stringContaining("line 2 is not JSON"),
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
});
