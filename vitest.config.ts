import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and ESM builds without an exports map: Node (and so production)
    // loads the CommonJS one everywhere, vite would load the ESM one for inlined code. Two
    // GraphQLError classes break instanceof checks (graphql-ws), so tests load what Node loads.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests and the bundle budget read the built console (dist/console).
    globalSetup: ['test/support/build-console.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: e2e files each start a simulator and a gateway; more forks only contend.
    maxWorkers: 2,
    pool: 'forks',
  },
});
