import type { AstNode } from "./ast.js";
import { type CompileContext, mustCheckDepth } from "./compile-node.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { enter, spend } from "./run-state.js";

/** One match, in jsonata's matcher protocol (what `$match`, `$replace`, `$split` and `$contains` read). */
interface Match {
  match: string;
  start: number;
  end: number;
  groups: string[];
  next: () => Match | undefined;
}

/**
 * A regular expression literal (`/ab+c/i`): its value is a matcher function,
 * made anew at each evaluation with a RegExp of its own (its `lastIndex` is
 * the matcher's state), exactly as jsonata's `evaluateRegex` makes it.
 * The pattern is jsonata's parsed RegExp: no expression text becomes code.
 */
export function compileRegex(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const pattern = node.value as RegExp;
  const position = node.position;
  return () => {
    if (guarded) enter(level);
    const regex = new RegExp(pattern);
    const matcher = (text: string, fromIndex?: number): Match | undefined => {
      regex.lastIndex = fromIndex || 0;
      // a match scans the string from where the last one ended (a matcher is called with
      // whatever it is given, which RegExp reads as a string, as in jsonata)
      if (typeof text === "string") spend(text.length - regex.lastIndex);
      const found = regex.exec(text);
      if (found === null) return undefined;
      return {
        match: found[0],
        start: found.index,
        end: found.index + found[0].length,
        groups: found.slice(1) as string[],
        next: () => {
          if (regex.lastIndex >= text.length) return undefined;
          const next = matcher(text, regex.lastIndex);
          if (next && next.match === "")
            throw jsonataError("D1004", { position, value: pattern.source });
          return next;
        },
      };
    };
    return matcher;
  };
}
