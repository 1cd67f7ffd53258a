import { jsonataError } from "../jsonata-error.js";
import type { Implementation } from "./implementation.js";

/** Numeric functions, as jsonata 2.2.2 defines them. */

export const number: Implementation = ([value]) => {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  if (
    typeof value === "string" &&
    /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(value) &&
    !Number.isNaN(Number.parseFloat(value)) &&
    Number.isFinite(Number(value))
  )
    return Number.parseFloat(value);
  if (typeof value === "string" && /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/.test(value))
    return Number(value);
  if (value === true) return 1;
  if (value === false) return 0;
  throw jsonataError("D3030", { value, index: 1 });
};

export const abs: Implementation = ([value]) =>
  value === undefined ? undefined : Math.abs(value as number);

export const floor: Implementation = ([value]) =>
  value === undefined ? undefined : Math.floor(value as number);

export const ceil: Implementation = ([value]) =>
  value === undefined ? undefined : Math.ceil(value as number);

/**
 * Round half to even, at a decimal precision, shifting the decimal point in
 * the string form (jsonata's way, which avoids binary representation
 * errors). Values that are not close to a tie round the same way when
 * scaled arithmetically, which is many times faster, so only near-ties take
 * the string route.
 */
export function roundHalfEven(value: number, precision: unknown): number {
  const places = precision as number;
  if (Number.isInteger(places) && places > 0 && places <= 15) {
    const scale = 10 ** places;
    const scaled = value * scale;
    const distanceToTie = Math.abs(Math.abs(scaled - Math.trunc(scaled)) - 0.5);
    if (Math.abs(scaled) < 2 ** 52 && distanceToTie > 1e-9 * (1 + Math.abs(scaled))) {
      const result = Math.round(scaled) / scale;
      return Object.is(result, -0) ? 0 : result;
    }
  }
  return roundThroughText(value, places);
}

function roundThroughText(value: number, places: number): number {
  let subject = value;
  if (places) {
    const [mantissa, exponent] = subject.toString().split("e");
    subject = +`${mantissa}e${exponent ? +exponent + places : places}`;
  }
  let result = Math.round(subject);
  if (Math.abs(result - subject) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (places) {
    const [mantissa, exponent] = result.toString().split("e");
    result = +`${mantissa}e${exponent ? +exponent - places : -places}`;
  }
  return Object.is(result, -0) ? 0 : result;
}

export const round: Implementation = ([value, precision]) =>
  value === undefined ? undefined : roundHalfEven(value as number, precision);

export const sqrt: Implementation = ([value]) => {
  if (value === undefined) return undefined;
  if ((value as number) < 0) throw jsonataError("D3060", { index: 1, value });
  return Math.sqrt(value as number);
};

export const power: Implementation = ([base, exponent]) => {
  if (base === undefined) return undefined;
  const result = (base as number) ** (exponent as number);
  if (!Number.isFinite(result))
    throw jsonataError("D3061", { index: 1, value: base, exp: exponent });
  return result;
};

export const formatBase: Implementation = ([value, radix]) => {
  if (value === undefined) return undefined;
  const rounded = roundHalfEven(value as number, undefined);
  const base = radix === undefined ? 10 : roundHalfEven(radix as number, undefined);
  if (base < 2 || base > 36) throw jsonataError("D3100", { value: base });
  return rounded.toString(base);
};
