import { type Logger, pino } from "pino";

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

/** A pino logger writing JSON lines to stdout, with secrets censored. */
export function createLogger(level: string): Logger {
  return pino({
    name: "gwenmap-server",
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  });
}
