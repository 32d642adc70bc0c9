import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './modules/auth/auth-checker';

import { ChannelResolver, MeetingChannelsResolver } from './modules/channels/channel.resolver';
import { MeetingResolver } from './modules/meetings/meeting.resolver';
import { NodeResolver } from './modules/node/node.resolver';
import {
  ChannelOutcomesResolver,
  MeetingOutcomesResolver,
  OutcomeResolver,
  resolveMeetingOutcomesDirectly,
} from './modules/outcomes/outcome.resolver';
import { MeetingHostsResolver, OrganizationResolver } from './modules/organizations/organization.resolver';
import { MeetingParticipantsResolver, ParticipantResolver, PersonResolver } from './modules/people/people.resolver';
import { OutcomeProvenanceResolver } from './modules/outcomes/outcome-provenance.resolver';
import { OrganizationAliasesResolver } from './modules/organizations/organization-aliases.resolver';
import { SearchResolver } from './modules/search/search.resolver';
import { ChangeResolver, CurationResolver, MeetingVersionResolver } from './modules/curation/curation.resolver';
import { MeetingSourcesResolver } from './modules/sources/source.resolver';
import { NO_PUBSUB, SubscriptionResolver } from './modules/subscriptions/subscription.resolver';
import { StatsResolver, TimelineEventResolver, TimelineResolver } from './modules/stats/stats.resolver';

// type-graphql 2 dropped glob loading. A resolver missing here loses its fields from the
// schema, which the schema.graphql drift test reports.
const RESOLVERS = [
  MeetingResolver,
  MeetingChannelsResolver,
  MeetingOutcomesResolver,
  MeetingParticipantsResolver,
  MeetingHostsResolver,
  MeetingSourcesResolver,
  ChannelResolver,
  ChannelOutcomesResolver,
  OutcomeResolver,
  OutcomeProvenanceResolver,
  PersonResolver,
  ParticipantResolver,
  OrganizationResolver,
  OrganizationAliasesResolver,
  NodeResolver,
  StatsResolver,
  TimelineResolver,
  TimelineEventResolver,
  SearchResolver,
  CurationResolver,
  ChangeResolver,
  MeetingVersionResolver,
  SubscriptionResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    // Subscriptions bring their own event sources (modules/subscriptions).
    pubSub: NO_PUBSUB,
    // Inputs are checked where they are used (services), with errors that name the argument.
    validate: false,
    // Every object type is declared with `simpleResolvers: true`: access rules (@Authorized) sit on
    // root fields only, so plain fields can resolve as graphql's own property read instead of
    // through type-graphql's middleware wrapper, which a dashboard page would run thousands of times.
  }).then((schema) => {
    resolveMeetingOutcomesDirectly(schema);
    // type-graphql has no option for describing the root type itself.
    schema.getQueryType()!.description =
      'Reads of the US–China engagements data set: meetings, the channels they touch, their outcomes, ' +
      'participants, hosts and sources. Errors carry `extensions.code` (BAD_USER_INPUT names the argument in ' +
      '`extensions.argumentName`); lookups by id or slug return null when nothing matches.';
    schema.getSubscriptionType()!.description =
      'Live updates over WebSocket (graphql-ws protocol) at /graphql, fed by every committed write whoever made it. ' +
      'Send an API key as `connectionParams: { Authorization: "Bearer <key>" }`; the same limits and roles apply as over HTTP.';
    schema.getMutationType()!.description =
      'Curation: writes need an API key with the EDITOR role (`Authorization: Bearer <key>`). A missing or revoked key ' +
      'gets UNAUTHENTICATED, too low a role FORBIDDEN, a stale version CONFLICT. Every write is one transaction and ' +
      'is recorded in the audit trail (`changes`).';
    return schema;
  });
  return built;
}

/** The schema as committed in schema.graphql: sorted, so that diffs read well in review. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
