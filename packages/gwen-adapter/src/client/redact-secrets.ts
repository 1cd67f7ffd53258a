const REDACTED = "[redacted]";

/**
 * The shortest string treated as a secret. A shorter one cannot be told from
 * the words around it (a key `k` would turn "check" into "chec[redacted]"),
 * and is no secret anyway.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * `text` with every occurrence of each secret replaced by `[redacted]`,
 * including the secret as it appears JSON-escaped and URL-encoded (the forms
 * a server could echo it back in). Only whole occurrences count: one with a
 * letter or digit right before or after it is part of another word. Secrets
 * shorter than `MIN_SECRET_LENGTH` are left alone.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const forms = new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
    ]);
    for (const form of forms) result = result.replace(wholeWord(form), REDACTED);
  }
  return result;
}

/** Every occurrence of `text` that no letter or digit touches. */
function wholeWord(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu");
}
