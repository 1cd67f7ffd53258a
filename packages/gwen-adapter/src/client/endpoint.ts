import { InvalidEndpointError } from "../errors.js";

/** GWEN's production GraphQL endpoint. */
export const DEFAULT_ENDPOINT = "https://gwen.insertcoin.se/graphql";

/**
 * The endpoint to send to: the `endpoint` argument, else `GWEN_ENDPOINT`, else
 * GWEN's production URL. Throws `InvalidEndpointError` (`E_INVALID_ENDPOINT`)
 * when the chosen value is not an absolute http(s) URL.
 */
export function resolveEndpoint(endpoint?: string): string {
  const fromOption = endpoint?.trim();
  const fromEnvironment = process.env.GWEN_ENDPOINT?.trim();
  const chosen = fromOption || fromEnvironment || DEFAULT_ENDPOINT;
  const source = fromOption ? "the endpoint option" : fromEnvironment ? "GWEN_ENDPOINT" : "default";
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    // No `cause`: Node's URL error keeps the whole input, credentials included.
    throw new InvalidEndpointError(
      "E_INVALID_ENDPOINT",
      `${source} is not a URL: "${withoutCredentials(chosen)}". Use an absolute URL such as ${DEFAULT_ENDPOINT}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidEndpointError(
      "E_INVALID_ENDPOINT",
      `${source} must be an http:// or https:// URL, not ${url.protocol}//. Use for instance ${DEFAULT_ENDPOINT}.`,
    );
  }
  return url.href;
}

/** The URL text with any `user:password@` removed, for messages. */
function withoutCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, "//");
}
