/**
 * Runs operations through the real Apollo Server (schema, plugins, error formatting) without
 * a socket. Tests about HTTP itself start a real server instead (http.test.ts).
 */
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { createContext, type Context } from '../../src/context';
import { createLogger } from '../../src/common/logger';
import { createApp } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export interface GraphQLResult<T = any> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface TestClient {
  query<T = any>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLResult<T>>;
  /** Like query, but fails the test on any GraphQL error. */
  data<T = any>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function createTestClient(
  db: TestDatabase,
  options: { exposeErrorDetails?: boolean; readsRequireKey?: boolean; planner?: boolean } = {},
): Promise<TestClient> {
  const { apollo } = await createApp({
    prisma: db.prisma,
    config: {
      exposeErrorDetails: options.exposeErrorDetails ?? false,
      readsRequireKey: options.readsRequireKey ?? false,
      ...(options.planner !== undefined && { planner: options.planner }),
    },
    logger: createLogger('silent'),
  });
  const run = async <T>(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLResult<T>> => {
    const response = await (apollo as ApolloServer<Context>).executeOperation(
      { query, variables },
      { contextValue: await createContext(db.prisma, authorization) },
    );
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return response.body.singleResult as GraphQLResult<T>;
  };
  return {
    query: run,
    async data<T>(query: string, variables?: Record<string, unknown>, authorization?: string) {
      const result = await run<T>(query, variables, authorization);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    stop: () => apollo.stop(),
  };
}

/**
 * A seeded database of the test file's own and a client on it, made before the file's tests and
 * dropped after them. Read `db` and `client` inside tests (they exist once beforeAll has run).
 */
export function useSeededClient(options: { exposeErrorDetails?: boolean } = {}): { db: TestDatabase; client: TestClient } {
  const handle = {} as { db: TestDatabase; client: TestClient };
  beforeAll(async () => {
    handle.db = await createTestDatabase();
    handle.client = await createTestClient(handle.db, options);
  });
  afterAll(async () => {
    await handle.client?.stop();
    await handle.db?.drop();
  });
  return handle;
}

/**
 * Every node of a connection, page by page (a page holds at most 100). `query` is called with the
 * cursor to continue after (null first) and must select `pageInfo { hasNextPage endCursor }` and
 * `edges { node { … } }` on the connection that `pick` returns.
 */
export async function allNodes<T = any>(
  client: TestClient,
  query: (after: string | null) => string,
  pick: (data: any) => { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: T }[] },
): Promise<T[]> {
  const nodes: T[] = [];
  for (let after: string | null = null; ;) {
    const connection = pick(await client.data(query(after)));
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
}

/** `after: "…"` for a page query, or nothing for the first page. */
export const afterArg = (after: string | null) => (after === null ? '' : `, after: ${JSON.stringify(after)}`);
