/**
 * One body, one organisation: sources spell the same body many ways ("CICIR", "China Institutes of
 * Contemporary International Relations (CICIR)"). prisma/seed/organizations.json lists each body's
 * canonical name and its other names; the organization_alias table holds them in the database.
 *
 * - syncOrganizationAliases makes the database agree with the list (start-up runs it): each body
 *   becomes one organisation under its canonical name, organisations created earlier under another
 *   of its names are merged into it, and its aliases are stored.
 * - canonicalRecords rewrites the organisation names of records to the canonical ones before an
 *   import compares or writes them, so a file that uses an alias imports idempotently and the
 *   export writes the canonical name.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { slugify } from '../../common/slug';
import { PRISMA_DIR } from '../../paths';
import { writeTransaction } from '../../db/write-transaction';
import type { EngagementRecord } from './engagement.record';

export const ORGANIZATIONS_FILE = path.join(PRISMA_DIR, 'seed', 'organizations.json');
/** Most aliases one organisation may have: `Organization.aliases` declares it as its bound. */
export const MAX_ALIASES = 20;

type Db = PrismaClient | Prisma.TransactionClient;

const name = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((value) => slugify(value) !== '', { message: 'must contain a letter or digit' });

export const organizationListSchema = z
  .array(z.strictObject({ name, aliases: z.array(name).max(MAX_ALIASES) }))
  .superRefine((entries, ctx) => {
    // Every name, canonical or alias, must resolve to one body only.
    const owner = new Map<string, number>();
    entries.forEach((entry, index) => {
      [entry.name, ...entry.aliases].forEach((value, i) => {
        const slug = slugify(value);
        const earlier = owner.get(slug);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index, i === 0 ? 'name' : 'aliases'],
            message: `"${value}" (slug ${slug}) already names ${earlier === index ? 'this organisation' : `entry ${earlier}`}`,
          });
        }
        owner.set(slug, index);
      });
    });
  });

export type OrganizationList = z.output<typeof organizationListSchema>;

export async function readOrganizationList(file = ORGANIZATIONS_FILE): Promise<OrganizationList> {
  const parsed = organizationListSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path.basename(file)}: [${issue.path.join('.')}] ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Makes the organisations and aliases in the database agree with the list; idempotent. Meetings
 * keep their parts: participations and hosts of a merged organisation move to the canonical one
 * (a meeting hosted under both names keeps one host row). Aliases no longer listed are dropped.
 */
export async function syncOrganizationAliases(prisma: PrismaClient, list: OrganizationList): Promise<void> {
  await writeTransaction(prisma, async (tx) => {
    const listed: string[] = [];
    for (const entry of list) {
      const canonical = slugify(entry.name);
      const aliasSlugs = [...new Set(entry.aliases.map(slugify))];
      listed.push(...aliasSlugs);
      const slugs = [canonical, ...aliasSlugs];
      // The canonical row first, so that its id is the one kept.
      const found = await tx.$queryRaw<{ id: number }[]>`SELECT DISTINCT o.id, (o.slug = ${canonical}) AS own FROM organization o
        LEFT JOIN organization_alias a ON a.organization_id = o.id
        WHERE o.slug = ANY(${slugs}::text[]) OR a.slug = ANY(${slugs}::text[])
        ORDER BY own DESC, o.id`;
      let target: number;
      if (found.length === 0) {
        [{ id: target }] = await tx.$queryRaw<
          { id: number }[]
        >`INSERT INTO organization (slug, name) VALUES (${canonical}, ${entry.name}) RETURNING id`;
      } else {
        target = found[0].id;
        const merged = found.slice(1).map((row) => row.id);
        if (merged.length > 0) {
          await tx.$executeRaw`UPDATE participation SET organization_id = ${target} WHERE organization_id = ANY(${merged}::int[])`;
          await tx.$executeRaw`INSERT INTO host (meeting_id, organization_id, position)
            SELECT meeting_id, ${target}, min(position) FROM host WHERE organization_id = ANY(${merged}::int[]) GROUP BY meeting_id
            ON CONFLICT DO NOTHING`;
          await tx.$executeRaw`DELETE FROM host WHERE organization_id = ANY(${merged}::int[])`;
          await tx.$executeRaw`DELETE FROM organization WHERE id = ANY(${merged}::int[])`;
        }
        await tx.$executeRaw`UPDATE organization SET slug = ${canonical}, name = ${entry.name}
          WHERE id = ${target} AND (slug, name) IS DISTINCT FROM (${canonical}, ${entry.name})`;
      }
      await tx.$executeRaw`DELETE FROM organization_alias WHERE organization_id = ${target} AND slug <> ALL(${aliasSlugs}::text[])`;
      if (aliasSlugs.length > 0) {
        const names = aliasSlugs.map((slug) => entry.aliases.find((alias) => slugify(alias) === slug)!);
        await tx.$executeRaw`INSERT INTO organization_alias (organization_id, slug, name)
          SELECT ${target}, slug, name FROM unnest(${aliasSlugs}::text[], ${names}::text[]) AS a(slug, name)
          ON CONFLICT (slug) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name
          WHERE (organization_alias.organization_id, organization_alias.name) IS DISTINCT FROM (EXCLUDED.organization_id, EXCLUDED.name)`;
      }
    }
    await tx.$executeRaw`DELETE FROM organization_alias WHERE slug <> ALL(${listed}::text[])`;
  });
}

/** Canonical name by alias slug, for the aliases among `names`. */
export async function canonicalNames(db: Db, names: string[]): Promise<Map<string, string>> {
  const slugs = [...new Set(names.map(slugify))];
  if (slugs.length === 0) return new Map();
  const rows = await db.$queryRaw<{ slug: string; name: string }[]>`SELECT a.slug, o.name FROM organization_alias a
    JOIN organization o ON o.id = a.organization_id WHERE a.slug = ANY(${slugs}::text[])`;
  return new Map(rows.map((row) => [row.slug, row.name]));
}

/** The records with every organisation named by an alias renamed to its canonical name. */
export async function canonicalRecords(db: Db, records: EngagementRecord[]): Promise<EngagementRecord[]> {
  const canonical = await canonicalNames(
    db,
    records.flatMap((r) => [...r.hosts, ...r.participants.flatMap((p) => (p.organization === null ? [] : [p.organization]))]),
  );
  if (canonical.size === 0) return records;
  const rename = (value: string) => canonical.get(slugify(value)) ?? value;
  return records.map((record) => ({
    ...record,
    // Two aliases of one host become one host, as the database stores hosts by organisation.
    hosts: [...new Set(record.hosts.map(rename))],
    participants: record.participants.map((p) => (p.organization === null ? p : { ...p, organization: rename(p.organization) })),
  }));
}
