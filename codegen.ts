import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen`: prints the code-first (Pothos) schema to schema.graphql, which is
 * committed so API changes show in review, and types every operation the tests send
 * (test/e2e/operations/*.ts) as TypedDocumentNodes in test/gql/, with test/gql/persisted-documents.json
 * (sha256 -> document), the trusted-documents manifest the e2e tests pass to --persisted-operations,
 * and the web console's operations (console/src/operations.ts) in console/src/gql/.
 * `npm run codegen:check` fails when either is stale.
 */
const config: CodegenConfig = {
  schema: './src/schema/schema-source.ts',
  ignoreNoDocuments: true,
  generates: {
    'schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
    'test/gql/': {
      documents: ['test/e2e/operations/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        importExtension: '.js',
      },
    },
    // The web console's operations, typed the same way (console/src/operations.ts).
    'console/src/gql/': {
      documents: ['console/src/operations.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        importExtension: '.js',
      },
    },
  },
};

export default config;
