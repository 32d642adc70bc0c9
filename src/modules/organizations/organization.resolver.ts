import { Arg, Args, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { toGlobalId } from '../../common/global-id';
import { lookupByIdOrSlug } from '../../common/lookup';
import { ConnectionType, ForwardPageArgs } from '../../common/pagination';
import { Meeting } from '../meetings/meeting.type';
import { meetingPart } from '../meetings/meeting-prefetch';
import type { MeetingRow } from '../meetings/meeting.service';
import { Organization } from './organization.type';
import { bounded, LIST_LIMITS, limitDescription, listLimit } from '../../common/limits/list-bounds';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';
import { listOrganizations, organizationBySlug, type OrganizationRow } from './organization.service';

export const OrganizationConnection = ConnectionType('Organization', Organization, 'organization');

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, {
    nullable: true,
    description: 'One organisation, by global `id` or by `slug`. Null when nothing matches.',
  })
  async organization(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { nullable: true, description: 'Global id, as returned in `Organization.id`.' }) id?: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug derived from the name, e.g. "the-white-house".' })
    slug?: string | null,
  ): Promise<OrganizationRow | null> {
    return lookupByIdOrSlug(
      'Organization',
      { id, slug },
      (key) => ctx.loaders.organizationById.load(key),
      (key) => organizationBySlug(ctx, key),
    );
  }

  @Query(() => OrganizationConnection, { description: 'Organisations that hosted meetings or were represented at them, by name A to Z.' })
  organizations(
    @Ctx() ctx: Context,
    @Args() page: ForwardPageArgs,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name, case-insensitive, e.g. "institute".' })
    search?: string | null,
  ) {
    return listOrganizations(ctx, { ...page, search });
  }

  @FieldResolver(() => ID, { description: 'Opaque global id; `node(id:)` resolves it.' })
  id(@Root() organization: OrganizationRow): string {
    return toGlobalId('Organization', organization.id);
  }

  @FieldResolver(() => [Meeting], {
    description: `Meetings this organisation hosted, newest first: the first \`limit\` of them (\`hostedCount\` says how many there are).`,
  })
  async hosted(
    @Root() organization: OrganizationRow,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, {
      nullable: true,
      defaultValue: LIST_LIMITS.hosted.default,
      description: limitDescription(LIST_LIMITS.hosted, 'meetings'),
    })
    limit: number,
  ): Promise<MeetingRow[]> {
    const hosts = await ctx.loaders.hostsByOrganization.load({ id: organization.id, limit: listLimit(limit, LIST_LIMITS.hosted) });
    return (await ctx.loaders.meetingById.loadMany(hosts.map((h) => h.meetingId))) as MeetingRow[];
  }

  @FieldResolver(() => Int, { description: 'How many meetings this organisation hosted.' })
  hostedCount(@Root() organization: OrganizationRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.hostedCountByOrganization.load(organization.id);
  }
}

@Resolver(() => Meeting)
export class MeetingHostsResolver {
  @Extensions(bounded(MEETING_PART_CAPS.hosts))
  @FieldResolver(() => [Organization], { description: 'Who hosted the meeting, in the order the record lists them.' })
  hosts(@Root() meeting: MeetingRow, @Ctx() ctx: Context): OrganizationRow[] | Promise<OrganizationRow[]> {
    const organizations = (hosts: { organization: OrganizationRow }[]) => hosts.map((host) => host.organization);
    const hosts = meetingPart<{ organization: OrganizationRow }[]>(ctx, 'hosts', meeting.id);
    return hosts instanceof Promise ? hosts.then(organizations) : organizations(hosts);
  }
}
