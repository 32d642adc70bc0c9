/**
 * Operations are refused with SERVICE_UNAVAILABLE at once while the database is known to be down.
 *
 * What each error an operation ends with becomes, decided in one place before Apollo formats
 * them (so that the HTTP status follows the code):
 * - errors with a public code (errors.ts) stay as they are;
 * - text PostgreSQL cannot store (a NUL byte that slipped past the checks) is BAD_USER_INPUT;
 * - a failure while the database does not answer becomes SERVICE_UNAVAILABLE (503, Retry-After).
 *   The database itself is asked (db/database-health.ts): error messages alone cannot tell an
 *   outage from a bug, and a bug must not be hidden as a 503, nor an outage logged as a bug;
 * - any other failure of a request given up at its deadline becomes REQUEST_TIMEOUT (400): the
 *   database answers, so the request asked for too much;
 * - anything else is a bug: logged here with its stack, once, and masked by server.ts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import type { DatabaseHealth } from '../db/database-health';
import { badUserInput, isConnectionError, isInvalidTextError, PUBLIC_CODES, requestTimeout, serviceUnavailable } from './errors';
import type { Logger } from './logger';
import { currentRequestScope, RequestAbortedError } from './request-scope';

export function errorPolicyPlugin(health: DatabaseHealth | undefined, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        // While the last probe found the database down (it is probed every second until it is
        // back), operations fail at once instead of each waiting for a connection that won't come.
        async didResolveOperation() {
          if (health && !health.available) throw serviceUnavailable();
        },
        async didEncounterErrors({ errors, operationName }) {
          const list = errors as GraphQLError[];
          for (let i = 0; i < list.length; i++) {
            const replacement = await classify(list[i]);
            if (replacement) {
              list[i] = new GraphQLError(replacement.message, {
                nodes: list[i].nodes,
                path: list[i].path,
                originalError: list[i].originalError ?? undefined,
                extensions: replacement.extensions,
              });
            }
          }

          async function classify(error: GraphQLError): Promise<GraphQLError | null> {
            const code = error.extensions?.code;
            if (typeof code === 'string' && PUBLIC_CODES.has(code)) return null;
            const original = error.originalError ?? error;
            const scope = currentRequestScope();
            if (scope?.aborted === 'disconnect') return null; // nobody is listening any more
            if (isInvalidTextError(original)) {
              return badUserInput(
                error.path?.join('.') ?? 'input',
                'holds text the database cannot store (a NUL character or broken encoding)',
              );
            }
            // A deadline passed because the database stopped answering is an outage, not a heavy request.
            if (scope?.aborted === 'unavailable') return serviceUnavailable();
            if (health && (isConnectionError(original) || !health.available || !(await health.check()))) return serviceUnavailable();
            if (scope?.aborted === 'timeout' || (original instanceof RequestAbortedError && original.reason === 'timeout')) {
              return requestTimeout(scope?.timeoutMs ?? 0);
            }
            logger.error(`unexpected error in ${operationName ?? 'an operation'} at ${error.path?.join('.') ?? '(request)'}`, original);
            return null;
          }
        },
      };
    },
  };
}
