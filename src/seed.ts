/**
 * Start-up seeding: an empty database gets the bundled data set, through the importer (so the
 * seed is validated and audited like any import, as actor "seed").
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from './generated/prisma/client';
import { importEngagements } from './modules/engagements/engagement-import.service';
import { readOrganizationList, syncOrganizationAliases } from './modules/engagements/organization-aliases';
import { SEED_FILE } from './paths';

/**
 * Imports the bundled data set when the database holds no engagement yet. The organisation list
 * (names and aliases) is applied on every start, first: it may have changed since the database
 * was seeded, and the import resolves aliases through it.
 */
export async function seedIfEmpty(prisma: PrismaClient, log: (message: string) => void = () => undefined): Promise<void> {
  await syncOrganizationAliases(prisma, await readOrganizationList());
  if ((await prisma.meeting.count()) > 0) return;
  const report = await importEngagements(prisma, await readFile(SEED_FILE, 'utf8'), { actor: { actor: 'seed' } });
  if (report.errors.length > 0) {
    const first = report.errors[0];
    throw new Error(`The bundled seed data is invalid (line ${first.line}, ${first.field ?? 'record'}: ${first.message})`);
  }
  log(`seeded ${report.created} engagements from ${path.basename(SEED_FILE)}`);
}
