import { Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Source as SourceRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { bounded } from '../../common/limits/list-bounds';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';
import { meetingPart } from '../meetings/meeting-prefetch';
import { Source } from '../sources/source.type';
import { Asserter } from './asserter.enum';
import { Outcome } from './outcome.type';
import { provenanceLoader } from './outcome-provenance.loaders';

/** Outcome rows come from several read paths; only the id is relied on here. */
type OutcomeKey = { id: number };

@Resolver(() => Outcome)
export class OutcomeProvenanceResolver {
  @Extensions(bounded(Object.keys(Asserter).length))
  @FieldResolver(() => [Asserter], {
    description:
      "Whose account claims this outcome: the US side's readout, the Chinese side's, a joint text, or a third party. " +
      'Empty when the record does not say. Filter with `OutcomeFilter.assertedBy` or `sideClaims: ONE_SIDE`.',
  })
  async assertedBy(@Root() outcome: OutcomeKey, @Ctx() ctx: Context): Promise<Asserter[]> {
    return (await provenanceLoader(ctx).load(outcome.id))?.assertedBy ?? [];
  }

  @Extensions(bounded(MEETING_PART_CAPS.sources))
  @FieldResolver(() => [Source], {
    description: "The sources, among its meeting's `sources`, that assert this outcome, in the order the record cites them.",
  })
  async sources(@Root() outcome: OutcomeKey, @Ctx() ctx: Context): Promise<SourceRow[]> {
    const provenance = await provenanceLoader(ctx).load(outcome.id);
    if (!provenance || provenance.sourcePositions.length === 0) return [];
    const sources = await meetingPart<SourceRow[]>(ctx, 'sources', provenance.meetingId);
    const byPosition = new Map(sources.map((source) => [source.position, source]));
    return provenance.sourcePositions.flatMap((position) => byPosition.get(position) ?? []);
  }
}
