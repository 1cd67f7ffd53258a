import {
  GwenClient,
  type GwenClientOptions,
  InvalidEndpointError,
  resolveEndpoint,
} from "@gwenmap/gwen-adapter";
import { UsageError } from "../errors.js";
import { resolveApiKey } from "../options/resolve-options.js";

export interface ClientArgs {
  readonly apiKey?: string | undefined;
  readonly endpoint?: string | undefined;
}

/**
 * A GWEN client from the command line: the key from `--api-key` or
 * GWEN_API_KEY (missing: an error before any work), the endpoint from
 * `--endpoint`, GWEN_ENDPOINT or GWEN's default (the adapter resolves it).
 */
export function openClient(
  args: ClientArgs,
  options: Omit<GwenClientOptions, "apiKey" | "endpoint"> = {},
): GwenClient {
  const apiKey = resolveApiKey(args.apiKey);
  return new GwenClient({
    ...options,
    apiKey,
    ...(args.endpoint === undefined ? {} : { endpoint: args.endpoint }),
  });
}

/**
 * `--endpoint`'s check: the adapter decides what an endpoint may be; its
 * message names the option in the adapter's words, and the CLI's in the
 * user's (`--endpoint`).
 */
export function checkEndpoint(value: string): void {
  try {
    resolveEndpoint(value);
  } catch (error) {
    if (!(error instanceof InvalidEndpointError)) throw error;
    throw new UsageError(error.message.replace("the endpoint option", "--endpoint"));
  }
}
