/**
 * The delay a `Retry-After` header asks for, in milliseconds: either
 * delay-seconds (`Retry-After: 120`) or an HTTP date
 * (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, counted from `now`, never
 * negative). Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | readonly string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = (typeof header === "string" ? header : header?.[0])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names a day or month; this keeps "-5" from parsing as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
