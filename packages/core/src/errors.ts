/**
 * Every error gwenmap's core raises or reports, with a stable `code`.
 * Inside the engine expected failures are values (`MapResult.rejections`,
 * `LoadResult.errors`); these classes carry them and are thrown only at the
 * edges (for instance by `loadEngine` when asked to throw).
 */
export type CoreErrorCode =
  /** The mappings directory cannot be read. */
  | "E_MAPPINGS_DIR"
  /** A mapping file cannot be read. */
  | "E_MAPPING_READ"
  /** The header has a tag gwenmap does not know. */
  | "E_MAPPING_UNKNOWN_TAG"
  /** `@action` or `@trigger` is missing, or a tag has no value. */
  | "E_MAPPING_MISSING_TAG"
  /** A tag appears twice in one header. */
  | "E_MAPPING_DUPLICATE_TAG"
  /** `@action` names an action the contracts do not define. */
  | "E_MAPPING_UNKNOWN_ACTION"
  /** Two files define the same mapping name. */
  | "E_MAPPING_DUPLICATE_NAME"
  /** The expression or trigger is not valid JSONata. */
  | "E_MAPPING_SYNTAX"
  /** The expression calls a function gwenmap refuses (`$eval`). */
  | "E_MAPPING_FORBIDDEN"
  /** A fixture file cannot be read or is not a valid fixture. */
  | "E_FIXTURE_INVALID";

export interface CoreErrorOptions {
  readonly cause?: unknown;
  /** file:line:col of the problem, when it is in a file. */
  readonly location?: { readonly file: string; readonly line: number; readonly column: number };
  /** The source line and a caret under the offending column. */
  readonly frame?: string;
  /** jsonata's own error code (`S0202`, ...), for syntax errors. */
  readonly jsonataCode?: string;
}

export class GwenmapError extends Error {
  override readonly name: string = "GwenmapError";
  readonly code: CoreErrorCode;
  readonly location?: CoreErrorOptions["location"];
  readonly frame?: string;
  readonly jsonataCode?: string;

  constructor(code: CoreErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.location) this.location = options.location;
    if (options.frame !== undefined) this.frame = options.frame;
    if (options.jsonataCode !== undefined) this.jsonataCode = options.jsonataCode;
  }

  /** `file:line:col code message`, the form editors and CI logs link. */
  override toString(): string {
    const where = this.location
      ? `${this.location.file}:${this.location.line}:${this.location.column} `
      : "";
    const code = this.jsonataCode ?? this.code;
    return `${where}${code} ${this.message}`;
  }
}

/** A mapping file that cannot be loaded or compiled. */
export class MappingError extends GwenmapError {
  override readonly name = "MappingError";
}

/** A fixture file that cannot be read or does not have the fixture shape. */
export class FixtureError extends GwenmapError {
  override readonly name = "FixtureError";
}
