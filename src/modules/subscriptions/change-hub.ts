/**
 * What committed writes changed, for this process's subscribers. PostgreSQL tells every server
 * instance (migration record_notifications, on the change feed's LISTEN connection):
 * - `record_changed`: one notification per record a write created, changed or deleted, with
 *   its transaction id, type, slug and action;
 * - `audit_appended`: the ids of the audit-trail rows (`change`) a statement inserted.
 * NOTIFY is delivered at commit, to every listener, whoever wrote (another instance, the import
 * CLI, psql), and never for a write that rolled back.
 *
 * A transaction's notifications arrive together; they are gathered for one turn of the event
 * loop and merged per record, so that a meeting created with its parts is one CREATE rather
 * than a CREATE followed by UPDATEs.
 */
import type { Change as ChangeRow, PrismaClient } from '../../generated/prisma/client';
import type { ChangeFeed } from '../../db/change-feed';
import type { Logger } from '../../common/logger';
import { EventQueue } from './event-stream';

export type RecordAction = 'CREATE' | 'UPDATE' | 'DELETE';

export interface RecordChange {
  /** As the audit trail names it: Meeting, Person, Organization or Channel. */
  recordType: string;
  /** Null: many records of the type may have changed (a bulk write, TRUNCATE, or notifications missed). */
  slug: string | null;
  action: RecordAction;
}

/** The record types the triggers report. */
export const RECORD_TYPES = ['Meeting', 'Person', 'Organization', 'Channel'] as const;

export const RECORD_CHANNEL = 'record_changed';
export const AUDIT_CHANNEL = 'audit_appended';

/** Audit rows read per statement when delivering the trail. */
const AUDIT_PAGE = 500;
/** Transactions whose merged actions are remembered, for notifications that arrive after a flush. */
const RECENT_TRANSACTIONS = 32;
/** Audit ids remembered as delivered (the ranges of concurrent transactions may overlap). */
const DELIVERED_IDS = 50_000;

interface Pending {
  tx: string;
  changes: Map<string, RecordChange>;
}

export class ChangeHub {
  private readonly recordQueues = new Set<EventQueue<RecordChange[]>>();
  private readonly auditQueues = new Set<EventQueue<ChangeRow>>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  /** Per recent transaction, what was already announced for each record. */
  private readonly announced = new Map<string, Map<string, RecordAction>>();
  private auditWork: Promise<void> = Promise.resolve();
  private readonly delivered = new Set<number>();
  private lastAuditId = 0;

  constructor(
    feed: ChangeFeed,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {
    feed.listen(RECORD_CHANNEL, (payload) => this.onRecordNotification(payload));
    feed.listen(AUDIT_CHANNEL, (payload) => this.onAuditNotification(payload));
    feed.onReconnect(() => this.onMissedNotifications());
  }

  /** Record changes from now on, one array per committed transaction. */
  records(): EventQueue<RecordChange[]> {
    const queue: EventQueue<RecordChange[]> = new EventQueue(() => this.recordQueues.delete(queue));
    this.recordQueues.add(queue);
    return queue;
  }

  /** Audit-trail entries committed from now on, in id order within each write. */
  auditTrail(): EventQueue<ChangeRow> {
    const queue: EventQueue<ChangeRow> = new EventQueue(() => this.auditQueues.delete(queue));
    this.auditQueues.add(queue);
    return queue;
  }

  /** Subscribers listening now, for tests and logs. */
  get listeners(): number {
    return this.recordQueues.size + this.auditQueues.size;
  }

  /** Ends every subscription (the server is stopping). */
  close(): void {
    for (const queue of [...this.recordQueues, ...this.auditQueues]) void queue.return();
  }

  private onRecordNotification(payload: string): void {
    let parsed: { x?: unknown; t?: unknown; s?: unknown; a?: unknown };
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.logger.warn(`subscriptions: ignored a malformed ${RECORD_CHANNEL} notification`);
      return;
    }
    const { x: tx, t: recordType, s: slug, a: action } = parsed;
    if (typeof tx !== 'string' || typeof recordType !== 'string' || (slug !== null && typeof slug !== 'string') || !isAction(action)) {
      this.logger.warn(`subscriptions: ignored a malformed ${RECORD_CHANNEL} notification`);
      return;
    }
    let current = this.pending.at(-1);
    if (!current || current.tx !== tx) this.pending.push((current = { tx, changes: new Map() }));
    const key = `${recordType}\u0000${slug ?? ''}`;
    const before = current.changes.get(key);
    const merged = before ? merge(before.action, action) : action;
    if (merged === null) current.changes.delete(key);
    else current.changes.set(key, { recordType, slug, action: merged });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = this.pending;
    this.pending = [];
    for (const { tx, changes } of batches) {
      let announced = this.announced.get(tx);
      if (!announced) {
        this.announced.set(tx, (announced = new Map()));
        if (this.announced.size > RECENT_TRANSACTIONS) this.announced.delete(this.announced.keys().next().value!);
      }
      const batch: RecordChange[] = [];
      for (const [key, change] of changes) {
        // The same transaction's notifications may straddle two flushes (a large write).
        const earlier = announced.get(key);
        const action = earlier ? (merge(earlier, change.action) ?? 'DELETE') : change.action;
        if (earlier === action) continue;
        announced.set(key, action);
        batch.push({ ...change, action });
      }
      if (batch.length > 0) for (const queue of this.recordQueues) queue.push(batch);
    }
  }

  /** Anything may have changed while the feed was not listening: say so for every type. */
  private onMissedNotifications(): void {
    if (this.recordQueues.size > 0) {
      const batch = RECORD_TYPES.map((recordType): RecordChange => ({ recordType, slug: null, action: 'UPDATE' }));
      for (const queue of this.recordQueues) queue.push(batch);
    }
    if (this.auditQueues.size > 0 && this.lastAuditId > 0) {
      // Entries written meanwhile: those after the last one delivered.
      const from = this.lastAuditId + 1;
      this.enqueueAudit(() => this.deliverAudit(from, Number.MAX_SAFE_INTEGER));
    }
  }

  private onAuditNotification(payload: string): void {
    let range: { from?: unknown; to?: unknown };
    try {
      range = JSON.parse(payload);
    } catch {
      range = {};
    }
    const { from, to } = range;
    if (!Number.isInteger(from) || !Number.isInteger(to)) {
      this.logger.warn(`subscriptions: ignored a malformed ${AUDIT_CHANNEL} notification`);
      return;
    }
    if (this.auditQueues.size === 0) {
      this.lastAuditId = Math.max(this.lastAuditId, to as number);
      return;
    }
    this.enqueueAudit(() => this.deliverAudit(from as number, to as number));
  }

  /** Audit deliveries run one after another, so that entries reach subscribers in order. */
  private enqueueAudit(work: () => Promise<void>): void {
    this.auditWork = this.auditWork.then(work).catch((error) => {
      this.logger.warn(`subscriptions: could not read the audit trail to deliver it (${(error as Error).message})`);
    });
  }

  private async deliverAudit(from: number, to: number): Promise<void> {
    let next = from;
    while (next <= to && this.auditQueues.size > 0) {
      const rows = await this.prisma.change.findMany({ where: { id: { gte: next, lte: to } }, orderBy: { id: 'asc' }, take: AUDIT_PAGE });
      for (const row of rows) {
        // Ids are handed out before commit, so a concurrent write's rows can fall inside this
        // range: those already committed may have been delivered with their own notification.
        if (this.delivered.has(row.id)) continue;
        this.delivered.add(row.id);
        if (this.delivered.size > DELIVERED_IDS) this.delivered.delete(this.delivered.values().next().value!);
        this.lastAuditId = Math.max(this.lastAuditId, row.id);
        for (const queue of this.auditQueues) queue.push(row);
      }
      if (rows.length < AUDIT_PAGE) break;
      next = rows[rows.length - 1].id + 1;
    }
  }
}

function isAction(value: unknown): value is RecordAction {
  return value === 'CREATE' || value === 'UPDATE' || value === 'DELETE';
}

/**
 * Two actions on one record within one transaction, as one: null when the record came and went
 * (created, then deleted) so that nobody outside ever saw it.
 */
function merge(first: RecordAction, then: RecordAction): RecordAction | null {
  if (first === 'CREATE') return then === 'DELETE' ? null : 'CREATE';
  if (first === 'DELETE') return then === 'DELETE' ? 'DELETE' : 'UPDATE';
  return then === 'DELETE' ? 'DELETE' : 'UPDATE';
}
