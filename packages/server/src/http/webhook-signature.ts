import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks the `X-Signature` of a request from Segment's Webhooks destination:
 * the hex HMAC-SHA1 of the body under the shared secret. For a batch (a JSON
 * array), Segment signs only the first event, serialized with
 * `JSON.stringify`, as its documentation shows; the signature of the whole
 * body is accepted too. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  request: {
    readonly signature: string | undefined;
    readonly body: string;
    readonly parsed: unknown;
  },
): boolean {
  const presented = request.signature?.trim().toLowerCase();
  if (!presented || !/^[0-9a-f]{40}$/.test(presented)) return false;
  const candidates = [request.body];
  if (Array.isArray(request.parsed) && request.parsed.length > 0) {
    candidates.push(JSON.stringify(request.parsed[0]));
  }
  const given = Buffer.from(presented, "hex");
  let valid = false;
  for (const text of candidates) {
    const expected = createHmac("sha1", secret).update(text, "utf8").digest();
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}
