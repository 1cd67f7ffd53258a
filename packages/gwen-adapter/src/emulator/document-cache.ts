import { type DocumentNode, type GraphQLError, type GraphQLSchema, parse, validate } from "graphql";

/** A query text parsed and validated once: the document, or why it is invalid. */
export type CachedDocument =
  | { ok: true; document: DocumentNode }
  | { ok: false; errors: readonly GraphQLError[] };

const MAX_ENTRIES = 1000;

/**
 * Parses and validates each distinct query text once. Clients send the same
 * few texts over and over, so this turns the cost of graphql-js's parse and
 * validate into a map lookup. The oldest entry goes when the cache is full.
 */
export class DocumentCache {
  readonly #schema: GraphQLSchema;
  readonly #entries = new Map<string, CachedDocument>();

  constructor(schema: GraphQLSchema) {
    this.#schema = schema;
  }

  get(query: string): CachedDocument {
    const cached = this.#entries.get(query);
    if (cached) return cached;
    const entry = this.#compile(query);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(query, entry);
    return entry;
  }

  #compile(query: string): CachedDocument {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { ok: false, errors: [error as GraphQLError] };
    }
    const errors = validate(this.#schema, document);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, document };
  }
}
