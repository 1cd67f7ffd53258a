import { jsonataError } from "./jsonata-error.js";
import { run, spend } from "./run-state.js";
import { isDeepEqual, isNumeric, toJsonataString } from "./values.js";

/**
 * jsonata's binary operators on already evaluated operands. Errors are
 * raised without a position; the operator's node adds it.
 */

export function arithmetic(left: unknown, right: unknown, operator: string): number | undefined {
  if (left !== undefined && !isNumeric(left)) throw jsonataError("T2001", { value: left });
  if (right !== undefined && !isNumeric(right)) throw jsonataError("T2002", { value: right });
  if (left === undefined || right === undefined) return undefined;
  switch (operator) {
    case "+":
      return left + right;
    case "-":
      return left - right;
    case "*":
      return left * right;
    case "/":
      return left / right;
    default:
      return left % right;
  }
}

export function equality(left: unknown, right: unknown, operator: string): boolean {
  if (left === undefined || right === undefined) return false;
  return operator === "=" ? isDeepEqual(left, right) : !isDeepEqual(left, right);
}

export function comparison(left: unknown, right: unknown, operator: string): boolean | undefined {
  const leftType = typeof left;
  const rightType = typeof right;
  const leftComparable = leftType === "undefined" || leftType === "string" || leftType === "number";
  const rightComparable =
    rightType === "undefined" || rightType === "string" || rightType === "number";
  if (!leftComparable || !rightComparable)
    throw jsonataError("T2010", {
      value: !(leftType === "string" || leftType === "number") ? left : right,
    });
  if (left === undefined || right === undefined) return undefined;
  if (leftType !== rightType) throw jsonataError("T2009", { value: left, value2: right });
  if (leftType === "string") spend((left as string).length);
  const a = left as number | string;
  const b = right as number | string;
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

export function concatenate(left: unknown, right: unknown): string {
  const leftText = typeof left === "string" ? left : (toJsonataString(left) ?? "");
  const rightText = typeof right === "string" ? right : (toJsonataString(right) ?? "");
  return leftText + rightText;
}

export function includes(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return false;
  if (!Array.isArray(right)) return right === left;
  spend(right.length);
  for (const item of right) if (item === left) return true;
  return false;
}

/** `a..b`: the integers from a to b as a sequence, within the allocation limits. */
export function range(left: unknown, right: unknown): unknown[] | undefined {
  const result = integersBetween(left, right);
  if (result !== undefined) (result as unknown as { sequence: boolean }).sequence = true;
  return result;
}

/** `a..b` as a plain array (what `[a..b]` makes of the sequence), with the same checks and charge. */
export function integersBetween(left: unknown, right: unknown): unknown[] | undefined {
  if (left !== undefined && !Number.isInteger(left)) throw jsonataError("T2003", { value: left });
  if (right !== undefined && !Number.isInteger(right))
    throw jsonataError("T2004", { value: right });
  if (left === undefined || right === undefined) return undefined;
  const from = left as number;
  const to = right as number;
  if (from > to) return undefined;
  const size = to - from + 1;
  if (size > 1e7) throw jsonataError("D2014", { value: size });
  if (size > run.maxSequence) throw jsonataError("D2015", { value: size });
  spend(size);
  const result = new Array<number>(size);
  for (let index = 0; index < size; index++) result[index] = from + index;
  return result;
}
