import type { Person as PersonRow } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { listByName } from '../../common/named-list';
import type { ForwardPageArgs } from '../../common/pagination';

export type { PersonRow };
type Deps = Pick<Context, 'prisma'>;

/** People by name, A to Z; `search` matches any part of the name, ignoring case. */
export function listPeople(deps: Deps, args: Partial<ForwardPageArgs> & { search?: string | null }) {
  return listByName<PersonRow>(deps.prisma, 'person', args);
}

export function personBySlug(deps: Deps, slug: string): Promise<PersonRow | null> {
  return deps.prisma.person.findUnique({ where: { slug } });
}
