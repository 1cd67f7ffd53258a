import type { ProjectFiles } from "../api.js";

/** Where the page's files come from, and whether it can write them back. */
export interface Project extends ProjectFiles {
  /** Writes a file inside the mappings folder; absent for the static page (nothing to save to). */
  readonly save?: (path: string, text: string) => Promise<void>;
}
