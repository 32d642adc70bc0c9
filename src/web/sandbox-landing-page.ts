/**
 * Apollo Sandbox at GET /graphql, as Apollo's own landing-page plugin renders it (Sandbox comes
 * from Apollo's CDN, so it needs internet access in the browser), with two changes:
 * - its offline message points to the explorer this service serves itself (/explorer), so that
 *   someone offline is shown a way on instead of a dead end;
 * - its first document is the README's example operations, like the explorer's.
 */
import type { ApolloServerPlugin, GraphQLServerListener } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

const OFFLINE_MESSAGE = /<p>Apollo Sandbox cannot be loaded;[^<]*<\/p>/;
const OFFLINE_HELP =
  "<p>Apollo Sandbox is loaded from Apollo's CDN, which this browser cannot reach: it appears that you might be offline.</p>" +
  '<p><a href="explorer">Open the explorer served by this service</a>, which works without internet access, or go back to the <a href="./">start page</a>.</p>';

export function sandboxLandingPage<TContext extends object>(options: { document?: string }): ApolloServerPlugin<TContext> {
  const apollo = ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    includeCookies: false,
    ...(options.document && { document: options.document }),
  });
  return {
    async serverWillStart(service) {
      const listener = (await apollo.serverWillStart!(service as never)) as GraphQLServerListener;
      return {
        async renderLandingPage() {
          const page = await listener.renderLandingPage!();
          const render = typeof page.html === 'string' ? () => Promise.resolve(page.html as string) : page.html;
          return { html: async () => withOfflineHelp(await render()) };
        },
      };
    },
  };
}

export function withOfflineHelp(html: string): string {
  if (OFFLINE_MESSAGE.test(html)) return html.replace(OFFLINE_MESSAGE, OFFLINE_HELP);
  // Apollo reworded its message: keep it, and add the way on after it.
  return html.replace('<div class="fallback">', `<div class="fallback">${OFFLINE_HELP}`);
}
