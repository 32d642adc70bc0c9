/** npm run schema:emit — writes schema.graphql from the code (sorted, with descriptions). */
import { writeFile } from 'node:fs/promises';
import { GRAPHQL_SCHEMA_FILE } from '../src/paths';
import { printAppSchema } from '../src/schema';

printAppSchema()
  .then((sdl) => writeFile(GRAPHQL_SCHEMA_FILE, sdl))
  .then(() => console.log(`Wrote ${GRAPHQL_SCHEMA_FILE}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
