import { readFileSync } from "node:fs";
import { codeFrame, type Rejection } from "@gwenmap/core";

/**
 * Code frames for rejections that say where they failed (a runtime error in
 * a trigger or expression carries `location`): the mapping file's lines
 * around the failing sub-expression with a caret under it. Each file is read
 * once per instance, so make one per run (a watch run re-reads edited files).
 */
export class SourceFrames {
  readonly #texts = new Map<string, string | undefined>();

  /** The frame under a rejection's location, indented; undefined without one or when the file cannot be read. */
  frameOf(rejection: Rejection, indent: string): string | undefined {
    const location = rejection.location;
    if (!location) return undefined;
    const text = this.#textOf(location.file);
    if (text === undefined) return undefined;
    return codeFrame(text, location)
      .split("\n")
      .map((line) => `${indent}${line}`)
      .join("\n");
  }

  #textOf(file: string): string | undefined {
    if (!this.#texts.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        text = undefined; // moved or deleted since it loaded: the message still says where
      }
      this.#texts.set(file, text);
    }
    return this.#texts.get(file);
  }
}
