/**
 * Per-request state: the database client and this request's loaders. Loaders cache by key for
 * one request only, so no request ever sees another's data or a stale row from minutes ago.
 */
import type { PrismaClient } from './generated/prisma/client';
import { createMeetingLoaders } from './modules/meetings/meeting.loaders';
import { createChannelLoaders } from './modules/channels/channel.loaders';
import { createOutcomeLoaders } from './modules/outcomes/outcome.loaders';
import { createPeopleLoaders } from './modules/people/people.loaders';
import { createOrganizationLoaders } from './modules/organizations/organization.loaders';
import { createSourceLoaders } from './modules/sources/source.loaders';
import { callerFromHeader, type Caller } from './modules/auth/api-key.service';
import type { PrefetchedParts } from './modules/meetings/meeting-prefetch';

export function createLoaders(prisma: PrismaClient) {
  return {
    ...createMeetingLoaders(prisma),
    ...createChannelLoaders(prisma),
    ...createOutcomeLoaders(prisma),
    ...createPeopleLoaders(prisma),
    ...createOrganizationLoaders(prisma),
    ...createSourceLoaders(prisma),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  prisma: PrismaClient;
  loaders: Loaders;
  /** Who is calling, from the Authorization header (see modules/auth). */
  caller: Caller;
  /** Meeting parts read together with a page of meetings (meeting-prefetch.ts). */
  prefetched: PrefetchedParts;
}

export async function createContext(prisma: PrismaClient, authorization?: string): Promise<Context> {
  return { prisma, loaders: createLoaders(prisma), caller: await callerFromHeader(prisma, authorization), prefetched: {} };
}
