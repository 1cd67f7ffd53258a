import { hash, timingSafeEqual } from "node:crypto";

/**
 * The configured write keys, compared in constant time: the presented key is
 * hashed and its digest compared with every configured key's digest, all of
 * them, so that neither the length nor the first differing byte of a key, nor
 * which key matched, shows in the answer's timing.
 * A key that matched is remembered (only configured keys can be, so the
 * memory never outgrows the configuration), as hashing costs more than the
 * rest of a single event's route. The lookup compares hashes of the whole key, so its
 * timing tells only whether the exact key is valid, which the answer tells anyway.
 */
export class WriteKeys {
  readonly #digests: readonly Buffer[];
  readonly #matched = new Map<string, string>();

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  /** The position of the matching key (as a string, the request's `source`), or undefined. */
  identify(presented: string): string | undefined {
    const remembered = this.#matched.get(presented);
    if (remembered !== undefined) return remembered;
    const source = this.#compare(presented);
    if (source !== undefined) this.#matched.set(presented, source);
    return source;
  }

  #compare(presented: string): string | undefined {
    const candidate = digest(presented);
    let match = -1;
    this.#digests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && match === -1) match = index;
    });
    return match === -1 ? undefined : String(match);
  }
}

/** The user name of an HTTP Basic `Authorization` header, as Segment's libraries send the write key. */
export function basicUser(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/** Constant-time equality of two secrets of any length. */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(text: string): Buffer {
  return hash("sha256", text, "buffer");
}
