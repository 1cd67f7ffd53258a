import type { GwenClient } from "@gwenmap/gwen-adapter";
import { CliError } from "../errors.js";

/**
 * Ask GWEN whether the key works. A refused key is `E_AUTH`; GWEN that cannot
 * be reached or answers oddly is `E_UNREACHABLE`; both say what to do.
 */
export async function checkKey(client: GwenClient, signal?: AbortSignal): Promise<void> {
  const validation = await client.validateApiKey(signal ? { signal } : {});
  if (validation.ok) return;
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
  throw new CliError(
    "E_UNREACHABLE",
    `cannot check the API key with GWEN at ${client.endpoint}: ${outcome.kind === "ok" ? "unexpected answer" : outcome.message}`,
    { details: "Check --endpoint or GWEN_ENDPOINT, and that GWEN (or the emulator) is running." },
  );
}
