import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is a static single-page app the gateway serves at /console/. Relative asset URLs
 * (base './') keep it working under a proxy's path prefix; hashed names let the gateway cache
 * them for good. Preact's JSX runtime through the compiler's own JSX support: no plugin needed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // graphql ships without an exports map: take its ESM build, which tree-shakes.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.mjs' }],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
