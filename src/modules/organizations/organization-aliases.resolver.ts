import { Ctx, Extensions, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { bounded } from '../../common/limits/list-bounds';
import { MAX_ALIASES } from '../engagements/organization-aliases';
import { Organization } from './organization.type';
import { aliasesLoader } from './organization-aliases.loaders';

@Resolver(() => Organization)
export class OrganizationAliasesResolver {
  @Extensions(bounded(MAX_ALIASES))
  @FieldResolver(() => [String], {
    description:
      'Other names sources give this organisation (e.g. "CICIR"), A to Z. Records naming it by any of them are stored under ' +
      '`name`, and `organization(slug:)` and `search` find it by any of them too.',
  })
  aliases(@Root() organization: { id: number }, @Ctx() ctx: Context): Promise<string[]> {
    return aliasesLoader(ctx).load(organization.id);
  }
}
