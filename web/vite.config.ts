/**
 * Builds the browser pages the service serves (src/web/pages.ts) into dist/web/:
 * - explorer.html: GraphiQL with its plugins and Monaco's workers, all bundled, so nothing is
 *   fetched from another origin when it runs;
 * - dashboard.html: the dashboard (Observable Plot charts), a client of the public API.
 * Run by `npm run build` (scripts/build.mjs), which skips it when nothing it reads changed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { examplesDocument, readmeExamples } from './readme-examples.ts';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const readme = path.resolve(webRoot, '..', 'README.md');

/**
 * `virtual:readme-examples`: the README's example operations as one document (the explorer's
 * first tab), also written to dist/web/examples.graphql for Apollo Sandbox's first document.
 */
function readmeExamplesPlugin(): Plugin {
  const id = 'virtual:readme-examples';
  const document = () => examplesDocument(readmeExamples(readFileSync(readme, 'utf8')));
  return {
    name: 'readme-examples',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(loaded) {
      if (loaded !== `\0${id}`) return undefined;
      this.addWatchFile(readme);
      return `export default ${JSON.stringify(document())};`;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'examples.graphql', source: document() });
    },
  };
}

export default defineConfig({
  root: webRoot,
  // Relative URLs: the pages work wherever the service is mounted.
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [readmeExamplesPlugin()],
  worker: { format: 'es' },
  build: {
    outDir: path.resolve(webRoot, '..', 'dist', 'web'),
    emptyOutDir: true,
    // GraphiQL with Monaco is large by nature; it is loaded once and cached for good.
    chunkSizeWarningLimit: 6_000,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        explorer: path.resolve(webRoot, 'explorer.html'),
        dashboard: path.resolve(webRoot, 'dashboard.html'),
      },
      // React libraries' "use client" markers mean nothing outside server components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
