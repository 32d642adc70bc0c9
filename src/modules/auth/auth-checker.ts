/**
 * Access rules are declared on the schema with @Authorized(role); this decides them. Roles are
 * ordered: ADMIN may do what EDITOR may, EDITOR what VIEWER may.
 */
import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { ApiRole } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { forbidden, unauthenticatedError } from '../../common/errors';
import { ROLE_RANK, type Caller } from './api-key.service';

export function unauthenticated(caller: Caller): GraphQLError {
  const reason = caller.kind === 'rejected' ? caller.reason : 'this operation needs an API key';
  return unauthenticatedError(reason);
}

export const authChecker: AuthChecker<Context, ApiRole> = ({ context }, roles) => {
  const { caller } = context;
  if (caller.kind !== 'key') throw unauthenticated(caller);
  const needed = roles.reduce((max, role) => Math.max(max, ROLE_RANK[role]), ROLE_RANK.VIEWER);
  if (ROLE_RANK[caller.role] < needed) {
    const role = roles.find((r) => ROLE_RANK[r] === needed);
    throw forbidden(`Forbidden: this needs the ${role} role; the key "${caller.name}" has ${caller.role}.`);
  }
  return true;
};
