/**
 * Per-operation state: the database client, the caller, and the loaders. Row loaders cache by key
 * for one operation only, so no request ever sees another's data or a stale row from minutes ago;
 * the channel list, which only migrations write, is the exception (channel.loaders.ts).
 */
import type { PrismaClient } from './generated/prisma/client';
import { createMeetingLoaders } from './modules/meetings/meeting.loaders';
import { createChannelLoaders } from './modules/channels/channel.loaders';
import { createOutcomeLoaders } from './modules/outcomes/outcome.loaders';
import { createPeopleLoaders } from './modules/people/people.loaders';
import { createOrganizationLoaders } from './modules/organizations/organization.loaders';
import { createSourceLoaders } from './modules/sources/source.loaders';
import { callerFromHeader, type Caller } from './modules/auth/api-key.service';
import type { CostBudget } from './common/operation-limits.plugin';
import type { Splicer } from './planner/raw-json';

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
  /** Cost spent by the operations of this HTTP request, shared by every operation of a batch. */
  budget: CostBudget;
  /** For HTTP requests: lets planned data travel as unparsed JSON text (planner/raw-json.ts). */
  splicer?: Splicer;
  /** For HTTP requests: how many of its operations were logged (observability/request-log.ts). */
  observed?: { operations: number };
}

/**
 * The context's loaders are made on first use: a planned operation never touches one, and making
 * twenty per request showed in profiles. The getter sits on the prototype, not the object, because
 * Apollo copies each operation's context (Object.assign), which would call an own getter at once.
 */
class OperationContext {
  private madeLoaders: Loaders | undefined;

  constructor(
    readonly prisma: PrismaClient,
    readonly caller: Caller,
    readonly budget: CostBudget,
    readonly splicer: Splicer | undefined,
    readonly observed: { operations: number } | undefined,
  ) {}

  get loaders(): Loaders {
    return (this.madeLoaders ??= createLoaders(this.prisma));
  }
}

export async function createContext(
  prisma: PrismaClient,
  authorization?: string,
  budget: CostBudget = { spent: 0 },
  splicer?: Splicer,
  observed?: { operations: number },
): Promise<Context> {
  return new OperationContext(prisma, await callerFromHeader(prisma, authorization), budget, splicer, observed);
}
