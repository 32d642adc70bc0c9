/**
 * The audit trail (`change` table): one row per record written or deleted, with who did it and
 * the record before and after, in the interchange format. Rows are only ever inserted, in the
 * transaction of the write they describe, so a write that rolls back leaves no audit row.
 */
import type { Prisma } from '../../generated/prisma/client';
import { bulkInsert } from './bulk-insert';
import type { EngagementRecord } from './engagement.record';

/** Who a write is recorded against in the audit trail. */
export interface Actor {
  /** The API key's name, or how the write was made without one ("import", "seed"). */
  actor: string;
  apiKeyId?: number | null;
}

/** A record as it was and as it became: no `before` is a CREATE, no `after` a DELETE. */
export interface AuditedChange {
  before: EngagementRecord | null;
  after: EngagementRecord | null;
}

function actionOf({ before, after }: AuditedChange): 'CREATE' | 'UPDATE' | 'DELETE' {
  if (after === null) return 'DELETE';
  return before === null ? 'CREATE' : 'UPDATE';
}

/** One audit row per change, in the order given. */
export async function writeAudit(tx: Prisma.TransactionClient, actor: Actor, changes: AuditedChange[]): Promise<void> {
  await bulkInsert(
    tx,
    'change',
    changes.map((change) => {
      const record = change.after ?? change.before;
      if (!record) throw new Error('an audited change needs a record before or after');
      return {
        actor: actor.actor,
        apiKeyId: actor.apiKeyId ?? null,
        action: actionOf(change),
        recordType: 'Meeting',
        recordSlug: record.id,
        before: change.before,
        after: change.after,
      };
    }),
    { jsonb: true },
  );
}
