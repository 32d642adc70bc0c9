import { Field, ObjectType } from 'type-graphql';
import { ChangeAction } from '../../generated/prisma/enums';
import type { Context } from '../../context';
import { Meeting } from '../meetings/meeting.type';
import type { Meeting as MeetingRow } from '../../generated/prisma/client';
import '../curation/curation.types'; // registers the ChangeAction enum
import type { ChangeHub } from './change-hub';

/** The context of an operation run over WebSocket: what HTTP operations have, and the change hub. */
export interface SubscriptionContext extends Context {
  hub: ChangeHub;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'A record that a committed write created, changed or deleted, whoever wrote it (the API, an import, an edit in ' +
    'the database). A change to any part of a meeting (channels, outcomes, participants, hosts, sources, links, ' +
    'fulfilments) is an UPDATE of the meeting.',
})
export class DataChange {
  @Field({ description: 'Meeting, Person, Organization or Channel: the type of the record, as the audit trail names it.' })
  recordType!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Slug of the record. Null when this stands for many records of the type: one statement wrote more than 200 ' +
      'of them (a bulk import), a table was emptied, or the server may have missed changes while its database ' +
      'connection was down. Refetch whatever you show of that type.',
  })
  slug!: string | null;

  @Field(() => ChangeAction, { description: 'What the write did to the record; UPDATE when `slug` is null.' })
  action!: ChangeAction;
}

@ObjectType({
  simpleResolvers: true,
  description: 'What became of one meeting: created, changed or deleted, and the meeting as it now is.',
})
export class MeetingChange {
  @Field({ description: 'The meeting subscribed to.' })
  slug!: string;

  @Field(() => ChangeAction, {
    description: 'CREATE when it (re)appeared, UPDATE when it or one of its parts changed, DELETE when it is gone.',
  })
  action!: ChangeAction;

  @Field(() => Meeting, { nullable: true, description: 'The meeting as it is now, read after the write committed; null once deleted.' })
  meeting!: MeetingRow | null;
}
