/**
 * How the browser pages reach the API: the same origin's /graphql, found relative to the page
 * (the pages sit beside it, so a proxy may serve the service under any path), over HTTP POST for
 * queries and mutations and over WebSocket (graphql-ws) for subscriptions.
 */
import { createClient, type Client } from 'graphql-ws';

export const HTTP_URL = new URL('graphql', window.location.href).toString();
export const WS_URL = HTTP_URL.replace(/^http/, 'ws');

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function postGraphQL<T>(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  operationName?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(HTTP_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables, ...(operationName && { operationName }) }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** A graphql-ws client sending `headers` (the API key) as connectionParams; reconnects on its own. */
export function subscriptionClient(headers: Record<string, string> = {}, on: { connected?: () => void; closed?: () => void } = {}): Client {
  return createClient({
    url: WS_URL,
    connectionParams: headers,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: { connected: () => on.connected?.(), closed: () => on.closed?.() },
  });
}
