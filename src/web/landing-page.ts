/**
 * GET /: the service's front page, plain HTML with no script, so that it shows whatever the
 * browser can reach. Links are relative, so they work behind a proxy that serves the service
 * under a path.
 */

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1.25rem; color: #1d2330; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; }
  p.lead { color: #4a5365; margin-top: 0; }
  ul.choices { list-style: none; padding: 0; }
  ul.choices li { border: 1px solid #d8dce5; border-radius: 8px; padding: .9rem 1.1rem; margin: .8rem 0; }
  ul.choices a { font-weight: 600; font-size: 1.1rem; }
  .note { color: #4a5365; font-size: .95rem; }
  code { background: #f1f3f7; padding: .1rem .3rem; border-radius: 4px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function landingPageHtml(options: { explorer: boolean }): string {
  const explorers = options.explorer
    ? `
  <li><a href="explorer">Explorer</a> — GraphiQL, served by this service: works with no internet access.
    Its first tab holds the README's example operations; add an API key under <em>Headers</em>
    (<code>{"Authorization": "Bearer uscn_…"}</code>); subscriptions run over WebSocket.</li>
  <li><a href="graphql">Apollo Sandbox</a> — Apollo's explorer, loaded from Apollo's CDN: needs internet access
    in the browser. Offline, use the explorer above.</li>`
    : '';
  return page(
    'US–China engagements API',
    `<h1>US–China engagements API</h1>
<p class="lead">A GraphQL API over a sourced record of meetings between the United States and China since 2013.</p>
<ul class="choices">${explorers}
  <li><a href="dashboard">Dashboard</a> — outcomes by channel and status, engagements per year, channel timelines
    and a filterable table of meetings with their sources; it updates live.</li>
</ul>
<p class="note">GraphQL: <code>POST /graphql</code> (reads are public; writes need an API key).
Subscriptions: WebSocket at <code>/graphql</code> (protocol <code>graphql-transport-ws</code>, e.g. the
<code>graphql-ws</code> client), with the key in <code>connectionParams</code>.
Health: <a href="health"><code>/health</code></a>.</p>`,
  );
}

export function missingBuildHtml(name: string): string {
  return page(
    `The ${name} is not built`,
    `<h1>The ${name} is not built yet</h1>
<p>Its files are built from the project's sources by <code>npm run build</code> (which <code>npm start</code>
runs), into <code>dist/web/</code>. Run it, then reload this page.</p>
<p><a href="./">Back to the start page</a></p>`,
  );
}
