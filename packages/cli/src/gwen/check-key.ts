import type { GwenClient } from "@gwenmap/gwen-adapter";
import { CliError } from "../errors.js";

export interface CheckKeyOptions {
  readonly signal?: AbortSignal;
  /**
   * Accept a GWEN that answers "try later" (429, 5xx): it is reachable and
   * did not refuse the key, and the caller retries anyway (`send` does).
   */
  readonly allowBusy?: boolean;
}

/**
 * Ask GWEN whether the key works. A refused key is `E_AUTH`; GWEN that cannot
 * be reached or answers oddly is `E_UNREACHABLE`; both say what to do.
 * Resolves "busy" when `allowBusy` let a 429/5xx answer through.
 */
export async function checkKey(
  client: GwenClient,
  options: CheckKeyOptions = {},
): Promise<"ok" | "busy"> {
  const validation = await client.validateApiKey(options.signal ? { signal: options.signal } : {});
  if (validation.ok) return "ok";
  const { outcome } = validation;
  if (outcome.kind === "auth") {
    throw new CliError(
      "E_AUTH",
      `GWEN at ${client.endpoint} refused the API key: ${outcome.message}`,
      {
        details:
          "Check --api-key or GWEN_API_KEY (the key from https://gwen.insertcoin.se/iam/api-token) and --endpoint.",
      },
    );
  }
  if (options.allowBusy && outcome.kind === "retry" && outcome.status !== undefined) return "busy";
  throw new CliError(
    "E_UNREACHABLE",
    `cannot check the API key with GWEN at ${client.endpoint}: ${outcome.kind === "ok" ? "unexpected answer" : outcome.message}`,
    { details: "Check --endpoint or GWEN_ENDPOINT, and that GWEN (or the emulator) is running." },
  );
}
