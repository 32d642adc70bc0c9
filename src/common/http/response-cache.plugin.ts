/**
 * Whole-response cache for reads, in this process's memory (Apollo's response-cache plugin on an
 * LRU of RESPONSE_CACHE_MB). Dashboards poll the same operations with the same variables, and the
 * data set changes only when curated, so most reads can be answered without touching the
 * database.
 *
 * Entries never outlive the data they were built from: every key includes the change feed's
 * generation as it was before the operation ran (db/change-feed.ts), and any committed write to
 * the data, from any process, moves the generation on. A response built from data read before
 * a change is therefore filed under the old generation and never served after it. While the
 * feed's connection is down nothing is read from or written to the cache. Only operations the
 * cache policy marks public and cacheable (queries without errors, no ADMIN audit trail) are kept.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { ChangeFeed } from '../../db/change-feed';

export function responseCachePlugins<TContext extends object>(feed: ChangeFeed, maxBytes: number): ApolloServerPlugin<TContext>[] {
  const cache = new InMemoryLRUCache<string>({ maxSize: maxBytes });
  return [
    responseCachePlugin<TContext>({
      cache,
      extraCacheKeyData: async () => ({ generation: feed.generation }),
      shouldReadFromCache: async () => feed.live,
      shouldWriteToCache: async () => feed.live,
    }),
    {
      // This process's own writes: the next read must see them (read-your-writes), without
      // waiting for their notification to come back from PostgreSQL.
      async requestDidStart() {
        return {
          async willSendResponse({ operation }) {
            if (operation?.operation === 'mutation') feed.changed();
          },
        };
      },
    },
  ];
}
