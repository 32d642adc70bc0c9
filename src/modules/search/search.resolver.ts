import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { ForwardPageArgs } from '../../common/pagination';
import { MeetingFilter } from '../filters/filters.input';
import { search, type SearchRow } from './search.service';
import { SearchConnection, SearchHit, SearchKind, SearchResult } from './search.types';

@Resolver(() => SearchHit)
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Meetings, outcomes, people and organisations ranked by relevance to a query: full-text search with English ' +
      'stemming across titles, summaries, outcome descriptions and notes, participant names and roles, hosts and ' +
      'source titles, plus trigram matching for misspelt names. Supports "quoted phrases", OR and -exclusions.',
  })
  search(
    @Ctx() ctx: Context,
    @Arg('query', () => String, { description: 'What to look for, e.g. "fentanyl" or "Blinken Beijing".' }) query: string,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => MeetingFilter, {
      nullable: true,
      description: 'Only hits connected to meetings matching this filter (their outcomes, participants and hosts).',
    })
    filter?: MeetingFilter | null,
    @Arg('kinds', () => [SearchKind], { nullable: true, description: 'Only these kinds of hit (default: all).' })
    kinds?: SearchKind[] | null,
  ) {
    return search(ctx, { ...page, query, filter, kinds });
  }

  @FieldResolver(() => SearchResult, { description: 'The meeting, outcome, person or organisation.' })
  async node(@Root() hit: SearchRow, @Ctx() ctx: Context) {
    const loaders = {
      MEETING: [ctx.loaders.meetingById, 'Meeting'],
      OUTCOME: [ctx.loaders.outcomeById, 'Outcome'],
      PERSON: [ctx.loaders.personById, 'Person'],
      ORGANIZATION: [ctx.loaders.organizationById, 'Organization'],
    } as const;
    const [loader, __typename] = loaders[hit.kind];
    const row = await (loader as { load(id: number): Promise<object | null> }).load(hit.id);
    return { ...row, __typename };
  }
}
