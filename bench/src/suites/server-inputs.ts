import { orderCompleted } from "./engine-inputs.js";

/**
 * The Order Completed call of the engine suite without its messageId: the
 * load generator repeats one body, and the server would acknowledge repeats
 * of a messageId without storing them again. Without one, the server stamps
 * a fresh id on each event, as it does for Segment calls that carry none.
 */
const { messageId: _dropped, ...event } = orderCompleted;

/** A request body and how many events it carries. */
export interface IngestShape {
  readonly name: string;
  readonly path: string;
  readonly body: string;
  readonly eventsPerRequest: number;
}

export const singleEvent: IngestShape = {
  name: "single event (/v1/track)",
  path: "/v1/track",
  body: JSON.stringify(event),
  eventsPerRequest: 1,
};

export const batchOf100: IngestShape = {
  name: "100-event batch (/v1/batch)",
  path: "/v1/batch",
  body: JSON.stringify({ batch: Array.from({ length: 100 }, () => event) }),
  eventsPerRequest: 100,
};
