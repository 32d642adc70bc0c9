/**
 * The event streams behind the Subscription fields, fed by the change hub (change-hub.ts).
 *
 * Events are executed one after another with the subscription's context. Its loaders would
 * otherwise keep what the first event read, so each event gets new ones: a meeting delivered
 * after a write is read after that write, parts included.
 */
import { GraphQLError } from 'graphql';
import type { Change as ChangeRow, Meeting as MeetingRow } from '../../generated/prisma/client';
import { createContext } from '../../context';
import { ErrorCode } from '../../common/errors';
import type { RecordAction, RecordChange } from './change-hub';
import { SKIP, transform } from './event-stream';
import type { SubscriptionContext } from './subscription.types';

export interface MeetingChangeEvent {
  slug: string;
  action: RecordAction;
  meeting: MeetingRow | null;
}

function hubOf(context: Partial<SubscriptionContext>): SubscriptionContext['hub'] {
  if (!context.hub) {
    // Apollo answers subscription operations sent over HTTP itself; this is for anything else.
    throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.', {
      extensions: { code: ErrorCode.BAD_REQUEST },
    });
  }
  return context.hub;
}

/**
 * New per-operation state (loaders…) for the next event (see the file comment), keeping the
 * caller, the budget and the hub. Built anonymously, so no key is looked up.
 */
async function freshReads(context: SubscriptionContext): Promise<void> {
  const { caller, budget, hub } = context;
  Object.assign(context, await createContext(context.prisma, undefined, budget), { caller, budget, hub });
}

/** Every record change, one event each. */
export function dataChanges(context: SubscriptionContext): AsyncIterableIterator<RecordChange> {
  const batches = hubOf(context).records();
  const waiting: RecordChange[] = [];
  // One event per record: a batch (one transaction) is handed out change by change.
  const changes: AsyncIterator<RecordChange> = {
    async next() {
      while (waiting.length === 0) {
        const batch = await batches.next();
        if (batch.done) return { value: undefined, done: true };
        waiting.push(...batch.value);
      }
      return { value: waiting.shift()!, done: false };
    },
    async return() {
      await batches.return();
      return { value: undefined, done: true };
    },
  };
  return transform(changes, (change) => change);
}

/**
 * The meeting `slug` after every write that touched it. A change that may concern many meetings
 * (null slug) is delivered only when the meeting's version moved or it appeared or went.
 */
export function meetingChanges(context: SubscriptionContext, slug: string): AsyncIterableIterator<MeetingChangeEvent> {
  const batches = hubOf(context).records();
  const read = () => context.prisma.meeting.findUnique({ where: { slug } });
  // What the subscriber last saw, to tell a real change from a bulk notification that missed it.
  let known: Promise<MeetingRow | null> | MeetingRow | null = read().catch(() => null);
  return transform(batches, async (batch) => {
    const own = batch.find((change) => change.recordType === 'Meeting' && change.slug === slug);
    const maybe = batch.some((change) => change.recordType === 'Meeting' && change.slug === null);
    if (!own && !maybe) return SKIP;
    const before = await known;
    const now = await read();
    known = now;
    if (!own && (now?.version ?? null) === (before?.version ?? null) && (now === null) === (before === null)) return SKIP;
    const action: RecordAction = now === null ? 'DELETE' : own?.action === 'CREATE' || before === null ? 'CREATE' : 'UPDATE';
    await freshReads(context);
    return { slug, action, meeting: now };
  });
}

/** The audit trail as it is written. */
export function auditTrail(context: SubscriptionContext): AsyncIterableIterator<ChangeRow> {
  return transform(hubOf(context).auditTrail(), async (row) => {
    await freshReads(context);
    return row;
  });
}
