/**
 * The explorer at /explorer: GraphiQL 5 with the query-builder plugin (and GraphiQL's own
 * documentation explorer and history), bundled from npm packages so that it works with no
 * internet access. Its first tab holds the README's example operations; the second,
 * subscriptions. Headers typed in GraphiQL (an API key) go with queries, mutations and
 * subscriptions alike (fetcher.ts).
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './explorer.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import readmeExamples from 'virtual:readme-examples';
import { fetcher } from './fetcher';
import { SUBSCRIPTION_EXAMPLES } from './tabs';

const root = createRoot(document.getElementById('graphiql')!);
root.render(
  createElement(GraphiQL, {
    fetcher,
    plugins: [HISTORY_PLUGIN, explorerPlugin()],
    defaultQuery: readmeExamples,
    defaultTabs: [{ query: readmeExamples }, { query: SUBSCRIPTION_EXAMPLES }],
    defaultEditorToolsVisibility: 'headers',
    // A key typed once stays for the next visit only if the user asks (GraphiQL's setting).
    shouldPersistHeaders: false,
  }),
);
