import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { fromGlobalId, type NodeTypeName } from '../../common/global-id';
import { Node, type Typed } from '../../common/node.interface';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when the id matches nothing.' })
  async node(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'A global id from any `id` field.' }) id: string,
  ): Promise<Typed | null> {
    const decoded = fromGlobalId(id);
    if (!decoded) return null;
    const loaders: Record<NodeTypeName, { load(id: number): Promise<object | null> }> = {
      Meeting: ctx.loaders.meetingById,
      Channel: ctx.loaders.channelById,
      Outcome: ctx.loaders.outcomeById,
      Person: ctx.loaders.personById,
      Organization: ctx.loaders.organizationById,
    };
    const row = await loaders[decoded.type].load(decoded.id);
    return row && { ...row, __typename: decoded.type };
  }
}
