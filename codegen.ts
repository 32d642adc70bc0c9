/**
 * GraphQL Code Generator: TypeScript types for the example operations (examples/operations/),
 * from the committed schema.graphql, into examples/generated/graphql.ts (committed too).
 *
 *   npm run codegen
 *
 * Each operation becomes a typed document (`ChannelMeetingsDocument`) that carries its result
 * and variables types, so any client that takes a `TypedDocumentNode` (graphql-request, urql,
 * Apollo Client, graphql-ws's client with a cast) checks variables and results at compile time.
 * A dashboard author copies this file's shape: their operations in .graphql files, the schema
 * from this repository (or from the running server's introspection), the same plugins.
 *
 * __tests__/typed-clients.test.ts fails when the committed file is not what this generates.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** How each custom scalar of the schema reaches TypeScript (see its description in schema.graphql). */
const scalars = {
  JSONObject: { input: 'Record<string, unknown>', output: 'Record<string, unknown>' },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/operations/*.graphql'],
  generates: {
    'examples/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars,
        strictScalars: true,
        // Only what the operations use (their enums and inputs), not every type of the schema.
        onlyOperationTypes: true,
        // Enums as string unions: no runtime code, and values compare as the strings the API sends.
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: false,
        nonOptionalTypename: false,
      },
    },
  },
};

export default config;
