/**
 * npm run key:create -- --role editor --name "Jane's laptop"   prints a new key, once
 * npm run key:revoke -- NAME                                    revokes it
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { loadEnvFile } from '../src/env-file';
import { openDatabase } from '../src/db/database';
import type { ApiRole } from '../src/generated/prisma/client';
import { createApiKey, revokeApiKey, ROLE_RANK } from '../src/modules/auth/api-key.service';

const USAGE = 'Usage: npm run key:create -- --role viewer|editor|admin --name NAME\n       npm run key:revoke -- NAME';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  const role = values.role?.toUpperCase();
  if (command === 'create' && (!values.name?.trim() || !role || !(role in ROLE_RANK) || rest.length)) {
    console.error(USAGE);
    return 1;
  }
  if (command === 'revoke' && rest.length !== 1) {
    console.error(USAGE);
    return 1;
  }
  if (command !== 'create' && command !== 'revoke') {
    console.error(USAGE);
    return 1;
  }
  const db = await openDatabase((loadEnvFile(), loadConfig()));
  try {
    if (command === 'create') {
      const name = values.name!.trim();
      if (await db.prisma.apiKey.findUnique({ where: { name } })) {
        console.error(`A key named "${name}" already exists; names identify keys, choose another.`);
        return 1;
      }
      const { key } = await createApiKey(db.prisma, name, role as ApiRole);
      console.error(`Created ${role} key "${name}". It is shown only this once; store it now:`);
      console.log(key);
      return 0;
    }
    if (!(await revokeApiKey(db.prisma, rest[0]))) {
      console.error(`No active key named "${rest[0]}".`);
      return 1;
    }
    console.log(`Revoked "${rest[0]}".`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
