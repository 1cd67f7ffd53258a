/**
 * What core knows of a destination action: its name, its label and the JSON
 * Schema its payload must satisfy. Core receives these as data (the GWEN
 * adapter supplies them) and never imports the adapter.
 */
export interface ActionContract {
  /** The name mappings use in `@action`, e.g. `sendEvent`. */
  readonly name: string;
  /** Human label, e.g. `Send Event`. */
  readonly label: string;
  readonly description?: string;
  /**
   * JSON Schema (draft-07) of the payload. A property's `title` is the label
   * used in validation messages (`User ID must be a valid uuid string but it was not.`).
   */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** Action contracts by action name. */
export type ActionContracts = Readonly<Record<string, ActionContract>>;
