/**
 * Why the playground server refused a request. Each is answered with its
 * HTTP status and a JSON `{ error: { code, message } }` the page shows.
 */
export type RefusalCode =
  /** `Host` is not the server's own address (DNS rebinding). */
  | "E_FOREIGN_HOST"
  /** `Origin` is not the server's own page (another site's request). */
  | "E_FOREIGN_ORIGIN"
  /** The token printed in the URL is missing or wrong. */
  | "E_TOKEN"
  /** The path names no file the playground may write (outside the folder, a link, not a mapping or fixture). */
  | "E_PATH"
  /** No such page, file or route. */
  | "E_NOT_FOUND"
  /** The method is not one the route takes. */
  | "E_METHOD"
  /** The body is larger than a mapping or fixture may be. */
  | "E_TOO_LARGE"
  /** The file could not be read or written. */
  | "E_FILE";

const statusOf: Record<RefusalCode, number> = {
  E_FOREIGN_HOST: 403,
  E_FOREIGN_ORIGIN: 403,
  E_TOKEN: 401,
  E_PATH: 400,
  E_NOT_FOUND: 404,
  E_METHOD: 405,
  E_TOO_LARGE: 413,
  E_FILE: 500,
};

/** A request the server will not serve, and why. Thrown by its handlers, answered in one place. */
export class Refusal extends Error {
  override readonly name = "Refusal";
  readonly code: RefusalCode;

  constructor(code: RefusalCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The HTTP status the refusal is answered with. */
  get status(): number {
    return statusOf[this.code];
  }
}
