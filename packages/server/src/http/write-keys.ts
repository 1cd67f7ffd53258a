import { hash, timingSafeEqual } from "node:crypto";

/** What an `Authorization` header says about a request's write key. */
export type Authorization =
  /** No header, or not HTTP Basic: the key may be in the body. */
  | { readonly kind: "none" }
  | { readonly kind: "known"; readonly source: string }
  | { readonly kind: "unknown" };

const NONE: Authorization = { kind: "none" };
const UNKNOWN: Authorization = { kind: "unknown" };
/** Headers remembered at most: a client sends one spelling of its header, and others are only parsed. */
const REMEMBERED_HEADERS = 64;

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
  readonly #headers = new Map<string, Authorization>();

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

  /**
   * What an `Authorization` header's HTTP Basic user name identifies (see
   * `identify`). A header that matched is remembered whole, like its key: a
   * client sends the same header with every request, and parsing it cost a
   * few percent of a single event's route.
   */
  authorize(header: string | undefined): Authorization {
    if (header === undefined) return NONE;
    const remembered = this.#headers.get(header);
    if (remembered !== undefined) return remembered;
    const user = basicUser(header);
    if (user === undefined) return NONE;
    const source = this.identify(user);
    if (source === undefined) return UNKNOWN;
    const known: Authorization = { kind: "known", source };
    if (this.#headers.size < REMEMBERED_HEADERS) this.#headers.set(header, known);
    return known;
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
