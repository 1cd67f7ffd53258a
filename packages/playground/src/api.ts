/**
 * What the playground page and `gwenmap playground`'s server say to each
 * other. Every request carries the token printed in the page's URL as
 * `Authorization: Bearer <token>`; writes come from the page's own origin.
 *
 * - `GET /api/project` answers `ProjectFiles`;
 * - `PUT /api/files/<path>` writes a mapping (`*.jsonata`) or a fixture
 *   (`fixtures/<name>.json`) inside the mappings folder, the body being the
 *   file's text, and answers `SavedFile`;
 * - a refusal answers `ApiError` with its HTTP status.
 */

/** One file of the mappings folder. */
export interface ProjectFile {
  /** Path inside the mappings folder, "/"-separated: `order-completed.jsonata`, `fixtures/x.json`. */
  readonly path: string;
  readonly text: string;
}

/** `GET /api/project`: the folder's mappings and fixtures, as they are on disk. */
export interface ProjectFiles {
  /** The folder as the user named it (`--mappings`), to show paths as the CLI does. */
  readonly folder: string;
  readonly mappings: readonly ProjectFile[];
  readonly fixtures: readonly ProjectFile[];
}

/** `PUT /api/files/<path>` succeeded. */
export interface SavedFile {
  readonly path: string;
  /** Whether the file was new. */
  readonly created: boolean;
}

/** Why the server refused a request. */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}
