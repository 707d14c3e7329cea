import type { DataSource } from 'typeorm';
import { DISPATCH_CHANNEL } from '../dispatch/dispatch-signal';
import { acceptMessagesCtes } from '../lifecycle/accepted-messages';
import { type BulkColumn, unnestRows } from './bulk-insert';
import { MESSAGE_COLUMNS } from './send-plan';

/** The send_requests columns a JSON send writes, in the order of `StoredSend.request`. */
export const SEND_REQUEST_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'project_id', type: 'uuid' },
  { name: 'request_time', type: 'timestamptz' },
  { name: 'content_type', type: 'text' },
  { name: 'requested_type', type: 'text' },
  { name: 'country_code', type: 'text' },
  { name: 'from_number', type: 'text' },
  { name: 'subject', type: 'text' },
  { name: 'content', type: 'text' },
  { name: 'file_ids', type: 'uuid[]' },
  { name: 'reserve_time', type: 'timestamptz' },
  { name: 'reserve_time_zone', type: 'text' },
  { name: 'reservation_id', type: 'uuid' },
  { name: 'idempotency_key', type: 'text' },
  { name: 'idempotency_fingerprint', type: 'text' },
  { name: 'response', type: 'jsonb' },
  { name: 'accepted_count', type: 'int' },
  { name: 'rejected_count', type: 'int' },
  { name: 'source', type: 'text' },
];

/** The reservations columns, in the order of `StoredSend.reservation`. */
export const RESERVATION_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'project_id', type: 'uuid' },
  { name: 'request_id', type: 'uuid' },
  { name: 'send_at', type: 'timestamptz' },
  { name: 'status', type: 'text' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
];

/** One accepted send, as rows: its request, its reservation (if it waits for one) and its messages. */
export interface StoredSend {
  readonly requestId: string;
  /** SEND_REQUEST_COLUMNS values */
  readonly request: readonly unknown[];
  /** RESERVATION_COLUMNS values, or null when the messages go now */
  readonly reservation: readonly unknown[] | null;
  /** MESSAGE_COLUMNS values, one row per recipient */
  readonly messages: readonly (readonly unknown[])[];
  /** the key that asked: the store re-checks it is not revoked */
  readonly apiKeyId: string;
}

/** Sends per statement, and message rows per statement (one 1,000-recipient send is one statement alone). */
const MAX_SENDS = 200;
const MAX_ROWS = 5000;
/** Statements in flight at once: one being written while the next batch gathers (two keeps the pipe full). */
const MAX_IN_FLIGHT = 2;

interface Pending {
  readonly send: StoredSend;
  readonly resolve: (stored: boolean) => void;
  readonly reject: (error: unknown) => void;
}

const GUARDED_REQUEST_COLUMNS = [...SEND_REQUEST_COLUMNS, { name: 'api_key_id', type: 'uuid' }];

/**
 * Stores accepted sends, many per statement (group commit): while a statement is being written, the sends that
 * arrive meanwhile gather and go together in the next one. Under load one commit (and one WAL flush) then
 * serves dozens of single-recipient sends, and a lone send still goes at once, in one round trip.
 *
 * The statement stores a send only if, when it runs, its API key is not revoked and its `from` is an APPROVED
 * calling number of its project, and no send of the project holds its Idempotency-Key yet. The send path
 * plans against cached reads of keys and calling numbers (MUNJA_AUTH_CACHE_MS); this re-check is what makes
 * a revocation or a rejection committed anywhere stop the very next send. `write` answers false for a send
 * these checks refused (nothing of it stored): its caller finds out why with fresh reads.
 *
 * One data-modifying statement is atomic, so no BEGIN/COMMIT round trips: a send is stored whole or not at all.
 * If the statement fails, each of its sends is written again alone, so one bad send fails only itself.
 */
export class SendWriter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: DataSource,
    /** after a statement stored sends that go now (not reserved): wake this process's dispatcher */
    private readonly onQueued: () => void,
  ) {}

  write(send: StoredSend): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && batch.length < MAX_SENDS) {
      const next = this.queue[0]!;
      if (batch.length > 0 && rows + next.send.messages.length > MAX_ROWS) break;
      rows += next.send.messages.length;
      batch.push(this.queue.shift()!);
    }
    return batch;
  }

  private async flush(batch: readonly Pending[]): Promise<void> {
    try {
      const stored = await this.store(batch.map((p) => p.send));
      for (const p of batch) p.resolve(stored.has(p.send.requestId));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.store([p.send])).has(p.send.requestId));
        } catch (alone) {
          p.reject(alone);
        }
      }
    }
  }

  /** One statement for all the sends; the ids of those stored. */
  private async store(sends: readonly StoredSend[]): Promise<Set<string>> {
    const requests = unnestRows(
      GUARDED_REQUEST_COLUMNS,
      sends.map((s) => [...s.request, s.apiKeyId]),
      'r',
    );
    let next = 1 + requests.values.length;
    const reservations = unnestRows(
      RESERVATION_COLUMNS,
      sends.flatMap((s) => (s.reservation ? [s.reservation] : [])),
      'v',
      next,
    );
    next += reservations.values.length;
    const messages = unnestRows(
      MESSAGE_COLUMNS,
      sends.flatMap((s) => s.messages),
      'm',
      next,
    );
    next += messages.values.length;
    const names = (columns: readonly BulkColumn[]) => columns.map((c) => c.name).join(', ');
    const requestValues = requests.expressions.slice(0, SEND_REQUEST_COLUMNS.length).join(', ');
    const rows: { id: string }[] = await this.db.query(
      `WITH accepted AS (
         INSERT INTO send_requests (${names(SEND_REQUEST_COLUMNS)})
         SELECT ${requestValues} FROM ${requests.from}
          WHERE EXISTS (SELECT 1 FROM api_keys k
                         WHERE k.id = ${requests.column('api_key_id')} AND k.revoked_at IS NULL)
            AND EXISTS (SELECT 1 FROM calling_numbers n
                         WHERE n.project_id = ${requests.column('project_id')}
                           AND n.number = ${requests.column('from_number')} AND n.status = 'APPROVED')
         ON CONFLICT (project_id, idempotency_key) DO NOTHING
         RETURNING id, reservation_id
       ), reserved AS (
         INSERT INTO reservations (${names(RESERVATION_COLUMNS)})
         SELECT ${reservations.expressions.join(', ')} FROM ${reservations.from}
          WHERE ${reservations.column('request_id')} IN (SELECT id FROM accepted)
       ), ${acceptMessagesCtes(
         MESSAGE_COLUMNS,
         messages.expressions,
         messages.from,
         `${messages.column('request_id')} IN (SELECT id FROM accepted)`,
       )}
       -- other processes' dispatchers hear of sends that go now (delivered at commit, once per statement)
       SELECT id, CASE WHEN reservation_id IS NULL THEN pg_notify($${next}, '') END AS woke FROM accepted`,
      [...requests.values, ...reservations.values, ...messages.values, DISPATCH_CHANNEL],
    );
    const stored = new Set(rows.map((row) => row.id));
    if (sends.some((s) => s.reservation === null && stored.has(s.requestId))) this.onQueued();
    return stored;
  }
}
