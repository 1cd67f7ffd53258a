import { resolve } from "node:path";
import { UsageError } from "../errors.js";

/** The mappings folder: `--mappings`, else GWENMAP_MAPPINGS, else ./mappings. */
export function resolveMappingsDir(option: string | undefined): string {
  if (option === "") throw new UsageError("--mappings needs a folder, e.g. --mappings ./mappings");
  return option ?? (process.env.GWENMAP_MAPPINGS?.trim() || "mappings");
}

/**
 * The API key: `--api-key`, else GWEN_API_KEY. Missing is a usage error
 * (exit 2) before any work starts, naming the option as it is typed.
 */
export function resolveApiKey(option: string | undefined): string {
  const key = option?.trim() || process.env.GWEN_API_KEY?.trim();
  if (!key) {
    throw new UsageError(
      "no GWEN API key: pass --api-key KEY or set GWEN_API_KEY to the key from https://gwen.insertcoin.se/iam/api-token",
    );
  }
  return key;
}

/** A whole number option within bounds, or a usage error naming the option and an example. */
export function parseWholeNumber(
  name: string,
  value: string | undefined,
  bounds: { min: number; max?: number; example: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (value.trim() === "" || !Number.isInteger(number) || number < bounds.min || number > max) {
    const range = bounds.max === undefined ? `at least ${bounds.min}` : `${bounds.min} to ${max}`;
    throw new UsageError(
      `--${name} must be a whole number ${range}, not "${value}" (e.g. --${name} ${bounds.example})`,
    );
  }
  return number;
}

/** A positive number option (decimals allowed), or a usage error. */
export function parsePositiveNumber(
  name: string,
  value: string | undefined,
  example: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(
      `--${name} must be a number above 0, not "${value}" (e.g. --${name} ${example})`,
    );
  }
  return number;
}

/** An absolute path for a file the user named, for messages and for comparing two paths. */
export function absolutePath(path: string): string {
  return resolve(path);
}
