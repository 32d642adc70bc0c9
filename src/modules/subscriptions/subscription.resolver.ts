import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import type { PubSub } from 'type-graphql';
import type { Change as ChangeRow } from '../../generated/prisma/client';
import { Change } from '../curation/curation.types';
import type { RecordChange } from './change-hub';
import { auditTrail, dataChanges, meetingChanges, type MeetingChangeEvent } from './subscription.service';
import { DataChange, MeetingChange, type SubscriptionContext } from './subscription.types';

/**
 * type-graphql insists on a PubSub before it builds a Subscription type, but every field here
 * brings its own event source (`subscribe`), fed by PostgreSQL through the change hub: nothing
 * is ever published in this process.
 */
export const NO_PUBSUB: PubSub = {
  publish() {
    throw new Error('subscriptions are fed by the database (change-hub.ts), not published');
  },
  subscribe() {
    throw new Error('subscriptions are fed by the database (change-hub.ts), not published');
  },
};

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => DataChange, {
    description:
      'Every record a committed write creates, changes or deletes, as it happens: for dashboards to refetch what they ' +
      'show. Over WebSocket (graphql-ws) at /graphql; public like reads.',
    subscribe: ({ context }) => dataChanges(context as SubscriptionContext),
  })
  dataChanged(@Root() change: RecordChange): RecordChange {
    return change;
  }

  @Subscription(() => MeetingChange, {
    description:
      'One meeting after every committed write that touches it or its parts: the meeting as it now is, or its ' +
      'deletion. Over WebSocket (graphql-ws) at /graphql; public like reads.',
    subscribe: ({ args, context }) => meetingChanges(context as SubscriptionContext, (args as { slug: string }).slug),
  })
  meetingChanged(
    @Root() event: MeetingChangeEvent,
    @Arg('slug', () => String, { description: 'The meeting to follow, e.g. "2023-11-15-woodside"; it need not exist yet.' }) _slug: string,
  ): MeetingChangeEvent {
    return event;
  }

  @Authorized('ADMIN')
  @Subscription(() => Change, {
    description: 'ADMIN. The audit trail as it is written: each entry once its write has committed.',
    subscribe: ({ context }) => auditTrail(context as SubscriptionContext),
  })
  changes(@Root() row: ChangeRow): ChangeRow {
    return row;
  }
}
