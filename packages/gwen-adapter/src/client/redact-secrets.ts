const REDACTED = "[redacted]";

/**
 * `text` with every occurrence of each secret replaced by `[redacted]`,
 * including the secret as it appears JSON-escaped and URL-encoded (the forms
 * a server could echo it back in).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
    ]);
    for (const form of forms) {
      if (form) result = result.split(form).join(REDACTED);
    }
  }
  return result;
}
