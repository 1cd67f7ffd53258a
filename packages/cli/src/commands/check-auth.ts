import { defineCommand } from "citty";
import type { OptionChecks } from "../cli/command-module.js";
import { ExitCode } from "../cli/exit-code.js";
import { checkKey } from "../gwen/check-key.js";
import { checkEndpoint, openClient } from "../gwen/open-client.js";
import { apiKeyArg, endpointArg } from "../options/shared-args.js";
import { stdoutColors } from "../terminal/colors.js";

export const examples = [
  "GWEN_API_KEY=... gwenmap check-auth",
  "gwenmap check-auth --endpoint http://127.0.0.1:4000/graphql --api-key gwen-emulator-key",
];

export const optionChecks: OptionChecks = { endpoint: checkEndpoint };

export default defineCommand({
  meta: {
    name: "check-auth",
    description: "Check that GWEN accepts the API key (runs GWEN's ValidateAPIKey query)",
  },
  args: { "api-key": apiKeyArg, endpoint: endpointArg },
  async run({ args }) {
    const client = openClient({ apiKey: args["api-key"], endpoint: args.endpoint });
    try {
      await checkKey(client);
    } finally {
      await client.close();
    }
    process.stdout.write(
      `${stdoutColors.green("✓")} GWEN at ${client.endpoint} accepts the API key\n`,
    );
    return ExitCode.ok;
  },
});
