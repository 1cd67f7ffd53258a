import { type Logger, pino } from "pino";
import pretty from "pino-pretty";

/** How log lines look: `pretty` for people, `json` for machines, `auto` for pretty on a terminal only. */
export type LogFormat = "auto" | "pretty" | "json";

export const LOG_FORMATS: readonly LogFormat[] = ["auto", "pretty", "json"];

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

/**
 * Fields that may hold a secret, censored wherever they appear in a log
 * line. The server never logs secrets on purpose; this catches the mistake
 * (a header object or an options object logged whole).
 */
export const REDACTED_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-signature"]',
  '*.headers["x-signature"]',
  "apiKey",
  "*.apiKey",
  "gwenApiKey",
  "*.gwenApiKey",
  "writeKey",
  "*.writeKey",
  "writeKeys",
  "*.writeKeys",
  "adminToken",
  "*.adminToken",
  "webhookSecret",
  "*.webhookSecret",
];

/**
 * A pino logger writing to stdout, with secrets censored: JSON lines, or
 * (`pretty`, or `auto` when stdout is a terminal) readable coloured lines.
 */
export function createLogger(level: string, format: LogFormat = "auto"): Logger {
  const options = {
    name: "gwenmap-server",
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  const readable = format === "pretty" || (format === "auto" && process.stdout.isTTY === true);
  // In this thread and synchronous, as pino's own stdout is: nothing is lost at exit.
  return readable ? pino(options, pretty({ sync: true, ignore: "pid,hostname" })) : pino(options);
}
