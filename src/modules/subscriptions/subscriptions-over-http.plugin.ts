/**
 * A subscription sent over HTTP would run as a query, with no events behind it. It is refused
 * before it runs, with the way to the transport that serves it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { badRequest } from '../../common/errors';

export function subscriptionsOverHttpPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw badRequest(
              'Subscriptions run over WebSocket at /graphql (the graphql-ws protocol, "graphql-transport-ws"), not over HTTP.',
            );
          }
        },
      };
    },
  };
}
