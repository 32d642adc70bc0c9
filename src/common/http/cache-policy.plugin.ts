/**
 * Cache-Control for a whole response. Every public field of this API has the same freshness
 * (the data changes only through curation), so the per-field hints of Apollo's cache-control
 * plugin would compute the same answer at a cost on every field of every response (~10% of
 * the CPU of a dashboard page, measured with bench/). Instead:
 * - a query without errors: `max-age=N, public`, or `max-age=N, private` when the answer
 *   depends on the caller's key (READS_REQUIRE_KEY, or the request carries a key): a shared
 *   cache must never hand a keyed answer to someone else;
 * - anything else (errors, mutations, the ADMIN-only audit trail, N = 0): `no-store`.
 * Every response says `Vary: Authorization`, for caches that key on it.
 * The same decision, made before execution, is the operation's cache policy, which the
 * server-side response cache (response-cache.plugin.ts) follows.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode } from 'graphql';

/** Fields whose data must never sit in a shared cache. */
const PRIVATE_FIELDS = new Set(['changes']);

// Apollo caches parsed documents, so each distinct operation is inspected once.
const privateDocuments = new WeakMap<DocumentNode, boolean>();

function selectsPrivateField(document: DocumentNode): boolean {
  const known = privateDocuments.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    Field(node) {
      if (PRIVATE_FIELDS.has(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  privateDocuments.set(document, found);
  return found;
}

export function cachePolicyPlugin(maxAge: number, readsRequireKey: boolean): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, overallCachePolicy }) {
          const cacheable = maxAge > 0 && operation?.operation === 'query' && !selectsPrivateField(document);
          overallCachePolicy.replace({ maxAge: cacheable ? maxAge : 0, scope: 'PUBLIC' });
        },
        async willSendResponse({ request, response, operation, document }) {
          response.http.headers.set('vary', 'Authorization');
          if (response.body.kind !== 'single') return;
          const cacheable =
            maxAge > 0 &&
            operation?.operation === 'query' &&
            !response.body.singleResult.errors?.length &&
            document !== undefined &&
            !selectsPrivateField(document);
          const keyed = readsRequireKey || request.http?.headers.get('authorization') !== undefined;
          response.http.headers.set('cache-control', cacheable ? `max-age=${maxAge}, ${keyed ? 'private' : 'public'}` : 'no-store');
        },
      };
    },
  };
}
