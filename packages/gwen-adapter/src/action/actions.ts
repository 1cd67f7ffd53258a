import { sendEventOperation, userSessionOperation } from "../request/operations.js";

/** The GWEN actions a mapping can target. */
export type ActionName = "sendEvent" | "identifyUser";

/**
 * One GWEN action: what a mapping must produce for it (`schema`, a JSON Schema
 * draft-07 object whose properties carry a `title` and a `description`) and
 * the GraphQL operation that delivers it. Structurally an `ActionContract` of
 * @gwenmap/core, so `actions` can be handed to the engine as data.
 */
export interface ActionDefinition {
  readonly name: ActionName;
  readonly label: string;
  readonly description: string;
  /** The GraphQL operation name sent for this action. */
  readonly operationName: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

const userId = {
  type: "string",
  format: "uuid",
  title: "User ID",
  description: "The user's id. (Format: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
} as const;

const sendEvent: ActionDefinition = {
  name: "sendEvent",
  label: "Send Event",
  description: "Send a user event to GWEN",
  operationName: sendEventOperation.operationName,
  schema: {
    $schema: DRAFT_07,
    type: "object",
    properties: {
      userId,
      type: { type: "string", title: "Event Type", description: "The type of the event" },
      data: { type: "object", title: "Data", description: "The data to be sent to GWEN" },
    },
    required: ["userId", "type"],
    additionalProperties: false,
  },
};

const identifyUser: ActionDefinition = {
  name: "identifyUser",
  label: "Identify User",
  description:
    "Starts a new GWEN user session. Provide the users IP and userAgent to improve the GWEN experience",
  operationName: userSessionOperation.operationName,
  schema: {
    $schema: DRAFT_07,
    type: "object",
    properties: {
      userId,
      ip: { type: "string", title: "User IP Address", description: "The IP address of the user" },
      userAgent: {
        type: "string",
        title: "User Agent",
        description: "The userAgent string of the user",
      },
    },
    required: ["userId"],
    additionalProperties: false,
  },
};

/**
 * The action contracts, keyed by name. Pass this object to @gwenmap/core as
 * its `contracts`; the schemas are frozen so no consumer can change them.
 */
export const actions: Readonly<Record<ActionName, ActionDefinition>> = deepFreeze({
  sendEvent,
  identifyUser,
});

/** Whether `name` is an action the adapter defines (`sendEvent`, `identifyUser`). */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actions, name);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
