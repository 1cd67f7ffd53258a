import {
  GraphQLBoolean,
  GraphQLInputObjectType,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLSchema,
  GraphQLString,
} from "graphql";
import {
  type GraphQLOperation,
  sendEventOperation,
  userSessionOperation,
} from "../request/operations.js";
import { JSONObjectScalar, UUIDScalar } from "./scalars.js";

/** What the resolvers need from the request being executed. */
export interface ResolverContext {
  /** Applies per-mutation faults (may throw a GraphQLError), then records the mutation. */
  accept(
    operation: GraphQLOperation,
    args: Record<string, unknown>,
    info: GraphQLResolveInfo,
  ): void;
  /** Counts a `validateApiKey` query (the key was checked before execution). */
  validated(): void;
}

const UserSessionInput = new GraphQLInputObjectType({
  name: "UserSessionInput",
  fields: { ip: { type: GraphQLString }, userAgent: { type: GraphQLString } },
});

const UserSession = new GraphQLObjectType({
  name: "UserSession",
  fields: { timestamp: { type: GraphQLString } },
});

const Mutation = new GraphQLObjectType<unknown, ResolverContext>({
  name: "Mutation",
  fields: {
    event: {
      type: GraphQLBoolean,
      args: {
        userId: { type: new GraphQLNonNull(UUIDScalar) },
        type: { type: new GraphQLNonNull(GraphQLString) },
        data: { type: JSONObjectScalar },
      },
      // biome-ignore lint/complexity/useMaxParams: graphql-js calls a resolver with (source, args, context, info).
      resolve: (_root, args, context, info) => {
        context.accept(sendEventOperation, args, info);
        return true;
      },
    },
    userSession: {
      type: UserSession,
      args: {
        userId: { type: new GraphQLNonNull(UUIDScalar) },
        data: { type: UserSessionInput },
      },
      // biome-ignore lint/complexity/useMaxParams: graphql-js calls a resolver with (source, args, context, info).
      resolve: (_root, args, context, info) => {
        context.accept(userSessionOperation, args, info);
        return { timestamp: new Date().toISOString() };
      },
    },
  },
});

const Query = new GraphQLObjectType<unknown, ResolverContext>({
  name: "Query",
  fields: {
    validateApiKey: {
      type: GraphQLBoolean,
      resolve: (_root, _args, context) => {
        context.validated();
        return true;
      },
    },
  },
});

/** GWEN's schema as DESIGN.md section 5 describes it. */
export const gwenSchema = new GraphQLSchema({ query: Query, mutation: Mutation });
