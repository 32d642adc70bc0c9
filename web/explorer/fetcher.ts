/**
 * GraphiQL's fetcher: queries and mutations over HTTP POST, subscriptions over WebSocket. The
 * headers typed in GraphiQL's Headers editor go with both: as HTTP headers, and as the
 * WebSocket's connectionParams (one connection per distinct set of headers).
 */
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import type { Client } from 'graphql-ws';
import { postGraphQL, subscriptionClient } from '../shared/api';

type Fetcher = GraphiQLProps['fetcher'];

const clients = new Map<string, Client>();

function clientFor(headers: Record<string, string>): Client {
  const key = JSON.stringify(headers);
  let client = clients.get(key);
  if (!client) clients.set(key, (client = subscriptionClient(headers)));
  return client;
}

function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false; // the server reports the syntax error
  }
}

export const fetcher: Fetcher = (params, options) => {
  const headers = (options?.headers ?? {}) as Record<string, string>;
  if (isSubscription(params.query, params.operationName)) {
    return clientFor(headers).iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    }) as unknown as ReturnType<Fetcher>;
  }
  return postGraphQL(params.query, params.variables ?? {}, headers, params.operationName ?? undefined) as ReturnType<Fetcher> &
    Promise<unknown>;
};
