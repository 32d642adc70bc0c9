import type { Organization as OrganizationRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { listByName } from '../../common/named-list';
import type { ForwardPageArgs } from '../../common/pagination';

export type { OrganizationRow };
type Deps = Pick<Context, 'prisma'>;

/** Organisations by name, A to Z; `search` matches any part of the name, ignoring case. */
export function listOrganizations(deps: Deps, args: Partial<ForwardPageArgs> & { search?: string | null }) {
  return listByName<OrganizationRow>(deps.prisma, 'organization', args);
}

/** By its own slug, or by the slug of one of its aliases ("cicir"). */
export async function organizationBySlug(deps: Deps, slug: string): Promise<OrganizationRow | null> {
  return (
    (await deps.prisma.organization.findUnique({ where: { slug } })) ??
    (await deps.prisma.organizationAlias.findUnique({ where: { slug }, select: { organization: true } }))?.organization ??
    null
  );
}
