import type { ActionContracts } from "../src/action/action-contract.js";

/**
 * Contracts shaped like GWEN's, as test data: core receives contracts as
 * input and its tests must not depend on the adapter package.
 */
export const contracts: ActionContracts = {
  sendEvent: {
    name: "sendEvent",
    label: "Send Event",
    schema: {
      type: "object",
      required: ["userId", "type"],
      additionalProperties: false,
      properties: {
        userId: { title: "User ID", type: "string", format: "uuid" },
        type: { title: "Event Type", type: "string" },
        data: { title: "Data", type: "object" },
      },
    },
  },
  identifyUser: {
    name: "identifyUser",
    label: "Identify User",
    schema: {
      type: "object",
      required: ["userId"],
      additionalProperties: false,
      properties: {
        userId: { title: "User ID", type: "string", format: "uuid" },
        ip: { title: "User IP Address", type: "string" },
        userAgent: { title: "User Agent", type: "string" },
      },
    },
  },
};

export const userId = "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d";
