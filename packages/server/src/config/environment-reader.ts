import { ConfigError } from "../errors.js";
import { isLogFormat, type LogFormat } from "../logging/create-logger.js";
import { parseDuration } from "./parse-duration.js";

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads typed values from the environment; blank values count as unset. */
export class EnvironmentReader {
  readonly #env: Environment;

  constructor(env: Environment) {
    this.#env = env;
  }

  text(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  list(name: string): string[] | undefined {
    return this.text(name)
      ?.split(",")
      .map((item) => item.trim());
  }

  flag(name: string): boolean | undefined {
    const value = this.text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    throw new ConfigError(`${name} must be 1 or 0 (true or false), not "${value}".`);
  }

  number(name: string, minimum: number): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!Number.isFinite(number) || number < minimum) {
      throw new ConfigError(`${name} must be a number of at least ${minimum}, not "${value}".`);
    }
    return number;
  }

  integer(name: string, minimum: number): number | undefined {
    const number = this.number(name, minimum);
    if (number !== undefined && !Number.isInteger(number)) {
      throw new ConfigError(`${name} must be a whole number, not "${this.text(name)}".`);
    }
    return number;
  }

  logFormat(name: string): LogFormat | undefined {
    const value = this.text(name)?.toLowerCase();
    if (value === undefined || isLogFormat(value)) return value;
    throw new ConfigError(`${name} must be auto, pretty or json, not "${value}".`);
  }

  duration(name: string): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      throw new ConfigError(
        `${name} must be a duration such as 4h, 30m, 90s or 500ms (a plain number is seconds), not "${value}".`,
      );
    }
    return parsed;
  }
}
