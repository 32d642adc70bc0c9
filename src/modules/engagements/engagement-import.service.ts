/**
 * Imports files in the data set's format. One code path serves the CLI (`npm run import`),
 * seeding and the API's importEngagements mutation; curation writes single records through
 * writeChanges.
 *
 * A file is all-or-nothing: every line is validated (shape, then references to channels and
 * other engagements) before anything is written, and the writes run in one transaction.
 * Records are identified by their `id`, so importing the same file twice changes nothing.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { isUniqueViolation } from '../../common/errors';
import { StaleCheckError, writeTransaction } from '../../db/write-transaction';
import { writeAudit, type Actor } from './engagement.audit';
import { parseEngagements, type ImportError, type ParsedLine } from './engagement.parser';
import { checkReferences, loadRecords, sameRecord } from './engagement.reader';
import type { EngagementRecord } from './engagement.record';
import { lockMeetings, writeRecords } from './engagement.writer';
import { canonicalRecords } from './organization-aliases';

// The importer's whole surface in one place: validating a file needs no database.
export { parseEngagements, type ImportError, type ParsedLine };

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
  dryRun: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Recorded in the audit trail; default "import". */
  actor?: Actor;
  /** Called after each record is written, for progress display (from 1 again if the write is retried). */
  onProgress?: (done: number, total: number) => void;
}

/** A record to write, and what the database held under its id (null: it is new). */
export interface RecordChange {
  before: EngagementRecord | null;
  after: EngagementRecord;
}

export async function importEngagements(prisma: PrismaClient, jsonl: string, options: ImportOptions = {}): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const { records, errors } = parseEngagements(jsonl);
  if (records.length === 0 && errors.length === 0) return { created: 0, updated: 0, unchanged: 0, errors, dryRun };
  if (dryRun || errors.length > 0) return { ...(await plan(prisma, records, errors)).report, dryRun };

  return writeTransaction(
    prisma,
    async (tx) => {
      // Locked before they are compared, so that what is compared, audited as `before` and
      // replaced is one state of each record, whoever else is writing.
      await lockMeetings(
        tx,
        records.map(({ record }) => record.id),
      );
      const { report, channels, changes } = await plan(tx, records, []);
      if (report.errors.length === 0 && changes.length > 0) {
        await writeChanges(tx, changes, channels, options.actor ?? { actor: 'import' }, options.onProgress);
      }
      return { ...report, dryRun };
    },
    {
      timeout: 10 * 60_000,
      maxWait: 30_000,
      // A new meeting someone else created meanwhile (its slug is taken at our insert): the next
      // attempt finds it and updates it, as an import of an existing record does.
      retryIf: isUniqueViolation,
    },
  );
}

/** What importing the records would do: reference errors, or which records change and how. */
async function plan(db: PrismaClient | Prisma.TransactionClient, records: ParsedLine[], parseErrors: ImportError[]) {
  const report: Omit<ImportReport, 'dryRun'> = { created: 0, updated: 0, unchanged: 0, errors: [...parseErrors] };
  const { channels, errors: referenceErrors } = await checkReferences(db, records);
  report.errors.push(...referenceErrors);
  const changes: RecordChange[] = [];
  if (report.errors.length > 0) {
    report.errors.sort((a, b) => a.line - b.line);
    return { report, channels, changes };
  }
  const existing = await loadRecords(
    db,
    records.map(({ record }) => record.id),
  );
  // Compared as they would be stored: an organisation named by an alias is stored as its canonical name.
  for (const record of await canonicalRecords(
    db,
    records.map((parsed) => parsed.record),
  )) {
    const before = existing.get(record.id) ?? null;
    if (before && sameRecord(before, record)) {
      report.unchanged += 1;
      continue;
    }
    if (before) report.updated += 1;
    else report.created += 1;
    changes.push({ before, after: record });
  }
  return { report, channels, changes };
}

/** Writes the records and one audit row for each; call inside a write transaction. */
export async function writeChanges(
  tx: Prisma.TransactionClient,
  changes: RecordChange[],
  channels: Map<string, number>,
  actor: Actor,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  // Curation's records come here without plan()'s renaming; doing it again costs one lookup.
  const after = await canonicalRecords(
    tx,
    changes.map((c) => c.after),
  );
  const canonical = changes.map((change, index) => ({ ...change, after: after[index] }));
  // A record planned as new may have been created by a transaction that committed after the
  // caller looked (READ COMMITTED: the writer's own lookup would see it and quietly update it,
  // and two creators would both succeed). Checked again here, the next attempt plans it as the
  // update it now is; a creator still uncommitted makes the insert wait, then fail as a duplicate.
  const plannedNew = canonical.filter((change) => change.before === null).map((change) => change.after.id);
  if (plannedNew.length > 0 && (await lockMeetings(tx, plannedNew)).size > 0) {
    throw new StaleCheckError('a meeting planned as new was created meanwhile');
  }
  // The audit rows first: they wait for no one, and writeRecords ends holding the fulfilment
  // lock, which every other writer waits for until this transaction commits.
  await writeAudit(tx, actor, canonical);
  await writeRecords(tx, after, channels, onProgress);
}
