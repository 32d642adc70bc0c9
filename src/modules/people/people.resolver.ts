import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Organization as OrganizationRow, Participation as ParticipationRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { toGlobalId } from '../../common/global-id';
import { lookupByIdOrSlug } from '../../common/lookup';
import { ConnectionType, ForwardPageArgs } from '../../common/pagination';
import { Meeting } from '../meetings/meeting.type';
import { meetingPart } from '../meetings/meeting-prefetch';
import type { MeetingRow } from '../meetings/meeting.service';
import { Participant, Person } from './person.type';
import { bounded, LIST_LIMITS, limitDescription, listLimit } from '../../common/limits/list-bounds';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';
import { listPeople, personBySlug, type PersonRow } from './people.service';

export const PersonConnection = ConnectionType('Person', Person, 'person');

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person, by global `id` or by `slug`. Null when nothing matches.' })
  async person(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Global id, as returned in `Person.id`.' }) id?: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug derived from the name, e.g. "antony-blinken".' })
    slug?: string | null,
  ): Promise<PersonRow | null> {
    return lookupByIdOrSlug(
      'Person',
      { id, slug },
      (key) => ctx.loaders.personById.load(key),
      (key) => personBySlug(ctx, key),
    );
  }

  @Query(() => PersonConnection, { description: 'People who took part in meetings, by name A to Z.' })
  people(
    @Ctx() ctx: Context,
    @Args() page: ForwardPageArgs,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name, case-insensitive, e.g. "blinken".' })
    search?: string | null,
  ) {
    return listPeople(ctx, { ...page, search });
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; `node(id:)` resolves it.' })
  id(@Root() person: PersonRow): string {
    return toGlobalId('Person', person.id);
  }

  @FieldResolver(() => [Participant], {
    description:
      "The person's participations, oldest meeting first: the first `limit` of them (`participationCount` says how many there are).",
  })
  participations(
    @Root() person: PersonRow,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.participations.default,
      description: limitDescription(LIST_LIMITS.participations, 'participations'),
    })
    limit: number,
  ): Promise<Participation[]> {
    return ctx.loaders.participationsByPerson.load({ id: person.id, limit: listLimit(limit, LIST_LIMITS.participations) });
  }

  @FieldResolver(() => Int, { description: 'How many participations the person has.' })
  participationCount(@Root() person: PersonRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.participationCountByPerson.load(person.id);
  }
}

/** Participations arrive with their person and organisation (see people.loaders.ts). */
type Participation = ParticipationRow & { person: PersonRow | null; organization: OrganizationRow | null };

@Resolver(() => Participant)
export class ParticipantResolver {
  @FieldResolver(() => Meeting, { description: 'The meeting taken part in.' })
  async meeting(@Root() participation: Participation, @Ctx() ctx: Context): Promise<MeetingRow> {
    return (await ctx.loaders.meetingById.load(participation.meetingId))!;
  }
}

@Resolver(() => Meeting)
export class MeetingParticipantsResolver {
  @Extensions(bounded(MEETING_PART_CAPS.participants))
  @FieldResolver(() => [Participant], { description: 'Who took part, for which side, in the order the record lists them.' })
  participants(@Root() meeting: MeetingRow, @Ctx() ctx: Context): Participation[] | Promise<Participation[]> {
    return meetingPart<Participation[]>(ctx, 'participants', meeting.id);
  }
}
