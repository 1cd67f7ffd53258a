/**
 * The GraphQL operations of GWEN's API, as Segment's GWEN (Actions)
 * destination sends them (DESIGN.md section 5). The query texts are kept
 * byte for byte; the parts (`field`, `variableTypes`, `arguments`,
 * `selection`) let the batch builder compose aliased operations and the
 * emulator map a resolved field back to the operation it came from.
 */
export interface GraphQLOperation {
  readonly operationName: string;
  readonly query: string;
  /** The root field the operation selects. */
  readonly field: string;
  /** Variable name -> GraphQL type, in declaration order. */
  readonly variableTypes: Readonly<Record<string, string>>;
  /** Field argument -> the variable that feeds it. */
  readonly arguments: Readonly<Record<string, string>>;
  /** The selection set after the field (empty for scalar fields). */
  readonly selection: string;
}

/** `sendEvent`: one GWEN event for a user. */
export const sendEventOperation: GraphQLOperation = {
  operationName: "SendEvent",
  query:
    "mutation SendEvent($userId: UUID!, $type: String!, $data: JSONObject) {\n event(userId: $userId, type: $type, data: $data)\n}",
  field: "event",
  variableTypes: { userId: "UUID!", type: "String!", data: "JSONObject" },
  arguments: { userId: "userId", type: "type", data: "data" },
  selection: "",
};

/** `identifyUser`: starts a GWEN user session. */
export const userSessionOperation: GraphQLOperation = {
  operationName: "UserSession",
  query:
    "mutation UserSession($userId: UUID!, $session: UserSessionInput) { userSession(userId: $userId, data: $session) { timestamp } }",
  field: "userSession",
  variableTypes: { userId: "UUID!", session: "UserSessionInput" },
  arguments: { userId: "userId", data: "session" },
  selection: " { timestamp }",
};

/** The API key check Segment runs when a destination is set up. */
export const validateApiKeyOperation: GraphQLOperation = {
  operationName: "ValidateAPIKey",
  query: "query ValidateAPIKey { validateApiKey }",
  field: "validateApiKey",
  variableTypes: {},
  arguments: {},
  selection: "",
};

/** The operation name of an aliased batch (`e0: event(...) e1: event(...)`). */
export const BATCH_OPERATION_NAME = "SendBatch";
