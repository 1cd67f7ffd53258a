import type { OptionChecks } from "../cli/command-module.js";
import { resolveMappingsDir } from "./resolve-options.js";

/**
 * Options several commands share, defined once so their names, help and
 * examples stay the same everywhere.
 */
export const mappingsArg = {
  type: "string",
  valueHint: "DIR",
  description:
    "Folder of *.jsonata mappings with fixtures/ beside them; GWENMAP_MAPPINGS, default ./mappings (e.g. --mappings examples/mappings)",
} as const;

export const apiKeyArg = {
  type: "string",
  valueHint: "KEY",
  description:
    'GWEN\'s API key; defaults to GWEN_API_KEY, never printed (e.g. --api-key "$GWEN_API_KEY")',
} as const;

export const endpointArg = {
  type: "string",
  valueHint: "URL",
  description:
    "GWEN's GraphQL endpoint; GWEN_ENDPOINT, default https://gwen.insertcoin.se/graphql (e.g. --endpoint http://127.0.0.1:4000/graphql)",
} as const;

/** Checks of the shared options' values, run before any command (see `checkArguments`). */
export const sharedOptionChecks: OptionChecks = {
  mappings: (value) => resolveMappingsDir(value),
};
