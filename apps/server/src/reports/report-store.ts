import { Logger } from '@nestjs/common';
import { isFinalDeliveryStatus, type DeliveryReport } from '@munja/provider-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { exactTime, type MessageKey } from '../dispatch/message-key';
import { KEYED_UPDATE, planWith, sql } from '../dispatch/sql';
import { attemptPlugin } from '../lifecycle/message-states';
import { closeByReports, type ReportClosing } from '../lifecycle/report-close';
import { requestTimeRangeOf } from '../messages/message-id';
import { decisiveReports, messageIdOfRef } from './report-selection';

export type ReportSource = 'webhook' | 'polling';

/**
 * A stored report's vendor id, for a reader of `delivery_reports d` joined to its message `m` by `d.message_id`:
 * a report that closed its message stores NULL (migration 1766000000003), the message holding the same id.
 */
export const reportVendorId = (d: string, m: string): string =>
  `COALESCE(${d}.vendor_message_id, ${m}.vendor_message_id)`;

/** A message awaiting a report that the poller asked its vendor about: its awaiting row's key. */
export interface AskedMessage {
  /** the partition key of `messages` (exact text) */
  readonly requestTime: string;
  readonly pluginId: string;
  readonly vendorMessageId: string;
  /** when the vendor took it (the awaiting row's sent_at, exact text): the close need not look it up again */
  readonly sentAt?: string;
}

/** A report's message, with its send time when the poller read it from the awaiting row. */
type MatchedMessage = MessageKey & { readonly sentAt?: string };

export interface AppliedReports {
  /** reports stored (every one received) */
  readonly stored: number;
  /** messages closed (COMPLETED) by them */
  readonly closed: number;
  /** reports matching no message we know (kept, logged) */
  readonly unknown: number;
}

const MAX_TEXT = 500;
const clip = (text: string | undefined): string | null =>
  text === undefined ? null : text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;

const validDate = (date: Date | undefined): Date | null =>
  date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;

/**
 * Delivery reports in, from webhooks and polling alike: every report is stored (the message's report timeline,
 * and to apply a report that arrives before its message's vendor id is recorded; the vendor's raw payload only
 * for a report no message matched), and the decisive one per message closes it in one
 * UPDATE whose WHERE refuses to touch a message already final — so duplicates and out-of-order reports never
 * move a status backwards.
 */
export class ReportStore {
  private readonly logger = new Logger('Reports');

  constructor(private readonly db: DataSource) {}

  /**
   * `asked` (message id → the awaiting row the poller read and asked the vendor about) matches a report that
   * answers for that very row (its ref, plugin and vendor id) without a statement: the poller read the row's key
   * moments ago, and the match would find the same message (by the awaiting row, or by its id once closed). Any
   * other report is matched in the database, in one partition when `asked` names its request_time.
   */
  async apply(
    reports: readonly DeliveryReport[],
    source: ReportSource,
    now: Date,
    asked?: ReadonlyMap<string, AskedMessage>,
  ): Promise<AppliedReports> {
    if (reports.length === 0) return { stored: 0, closed: 0, unknown: 0 };
    const result = await this.db.transaction(async (manager) => {
      await planWith(manager, KEYED_UPDATE);
      const matched = await this.match(manager, reports, asked);
      const decisive = decisiveReports(reports);
      // closed before the reports are stored: a report whose message now holds its vendor id stores NULL there
      const closed = await this.close(
        manager,
        decisive.flatMap((report) => {
          const message = matched.get(report);
          return message && isFinalDeliveryStatus(report.status) ? [{ message, report }] : [];
        }),
        now,
      );
      await this.store(manager, reports, matched, closed, source, now);
      const unknown = reports.filter((r) => !matched.get(r)).length;
      return { stored: reports.length, closed: closed.size, unknown };
    });
    if (result.unknown > 0) {
      const plugins = [...new Set(reports.filter((r) => r.pluginId).map((r) => r.pluginId))].join(', ');
      this.logger.warn(
        { unknown: result.unknown, plugins, source },
        'delivery reports for unknown messages kept',
      );
    }
    return result;
  }

  /**
   * Applies stored reports that came before their message's vendor id was recorded (the vendor can report
   * faster than we write the send's outcome). Called right after a batch of messages is marked SENT.
   */
  async applyEarlyReports(pluginId: string, vendorMessageIds: readonly string[], now: Date): Promise<number> {
    if (vendorMessageIds.length === 0) return 0;
    // Nearly always none: one read instead of a transaction's three round trips per sent batch. A report
    // stored after this read finds its message by the vendor id already recorded (apply's own match).
    const { rows: early } = await sql(
      this.db,
      `SELECT 1 FROM delivery_reports
        WHERE message_id IS NULL AND plugin_id = $1 AND vendor_message_id = ANY($2::text[]) LIMIT 1`,
      [pluginId, vendorMessageIds],
    );
    if (early.length === 0) return 0;
    return this.db.transaction(async (manager) => {
      await planWith(manager, KEYED_UPDATE);
      const { rows } = await sql<{
        message_id: string;
        request_time: string;
        status: DeliveryReport['status'];
        vendor_code: string | null;
        vendor_message: string | null;
        telco: string | null;
        completed_at: Date | null;
        vendor_message_id: string;
      }>(
        manager,
        `SELECT a.message_id, ${exactTime('a.request_time')} AS request_time, d.status, d.vendor_code, d.vendor_message, d.telco, d.completed_at,
                d.vendor_message_id
           FROM delivery_reports d
           JOIN awaiting_reports a ON a.plugin_id = d.plugin_id AND a.vendor_message_id = d.vendor_message_id
          WHERE d.message_id IS NULL AND d.plugin_id = $1 AND d.vendor_message_id = ANY($2::text[])
          ORDER BY d.id`,
        [pluginId, vendorMessageIds],
      );
      if (rows.length === 0) return 0;
      // by the unmatched rows' own index (the table has no primary key: nothing else looks a report up)
      await sql(
        manager,
        `UPDATE delivery_reports d SET message_id = v.message_id
           FROM unnest($2::text[], $3::uuid[]) AS v(vendor_message_id, message_id)
          WHERE d.message_id IS NULL AND d.plugin_id = $1 AND d.vendor_message_id = v.vendor_message_id`,
        [pluginId, rows.map((r) => r.vendor_message_id), rows.map((r) => r.message_id)],
      );
      const first = new Map<string, (typeof rows)[number]>();
      for (const row of rows)
        if (row.status !== 'SENT' && !first.has(row.message_id)) first.set(row.message_id, row);
      return this.close(
        manager,
        [...first.values()].map((row) => ({
          message: { id: row.message_id, requestTime: row.request_time },
          report: {
            pluginId,
            vendorMessageId: row.vendor_message_id,
            status: row.status,
            vendorCode: row.vendor_code ?? undefined,
            vendorMessage: row.vendor_message ?? undefined,
            telco: row.telco ?? undefined,
            completedAt: row.completed_at ?? undefined,
            reportedAt: now,
            raw: null,
          },
        })),
        now,
      ).then((closed) => closed.size);
    });
  }

  /**
   * Finds each report's message: by (plugin, vendor id) in the small table of messages awaiting a report (one
   * primary-key probe, and its request_time names the one partition to close the message in), else by our ref
   * echoed back (a report that came before the send's outcome was recorded, or after the message closed): one
   * partition when its request_time is known or the id (UUIDv7) carries it, every partition's primary key
   * otherwise. A ref lookup compares
   * the plugin with IS NOT DISTINCT FROM, so a ref alone never matches another plugin's message. A report that
   * answers for an awaiting row the poller asked about (`asked`: same ref, plugin and vendor id) is matched to
   * that row's message without the statement (500 primary-key probes and ~3,000 parameters a poll round).
   */
  private async match(
    manager: EntityManager,
    all: readonly DeliveryReport[],
    asked: ReadonlyMap<string, AskedMessage> | undefined,
  ): Promise<Map<DeliveryReport, MatchedMessage>> {
    const matched = new Map<DeliveryReport, MatchedMessage>();
    const reports: DeliveryReport[] = [];
    for (const report of all) {
      const row = report.ref === undefined ? undefined : asked?.get(report.ref);
      if (row && row.pluginId === report.pluginId && row.vendorMessageId === report.vendorMessageId)
        matched.set(report, { id: report.ref!, requestTime: row.requestTime, sentAt: row.sentAt });
      else reports.push(report);
    }
    if (reports.length === 0) return matched;
    const refs = reports.map((r) => messageIdOfRef(r.ref));
    const ranges = refs.map((ref) => (ref ? requestTimeRangeOf(ref) : null));
    const { rows } = await sql<{ i: string; id: string; request_time: string }>(
      manager,
      `SELECT v.i, m.id, ${exactTime('m.request_time')} AS request_time
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
              WITH ORDINALITY AS v(plugin_id, vendor_message_id, ref_id, request_time, id_from, id_to, i)
         JOIN LATERAL (
           SELECT a.message_id AS id, a.request_time FROM awaiting_reports a
            WHERE a.plugin_id = v.plugin_id AND a.vendor_message_id = v.vendor_message_id
           UNION ALL
           SELECT m.id, m.request_time FROM messages m
            WHERE v.request_time IS NOT NULL AND m.id = v.ref_id AND m.request_time = v.request_time
              AND ${attemptPlugin('m')} IS NOT DISTINCT FROM v.plugin_id
           UNION ALL
           SELECT m.id, m.request_time FROM messages m
            WHERE v.request_time IS NULL AND m.id = v.ref_id AND ${attemptPlugin('m')} IS NOT DISTINCT FROM v.plugin_id
              AND (v.id_from IS NULL OR (m.request_time >= v.id_from AND m.request_time < v.id_to))
           LIMIT 1
         ) m ON true`,
      [
        reports.map((r) => r.pluginId),
        reports.map((r) => r.vendorMessageId),
        refs,
        refs.map((ref) => (ref ? (asked?.get(ref)?.requestTime ?? null) : null)),
        ranges.map((range) => range?.from ?? null),
        ranges.map((range) => range?.to ?? null),
      ],
    );
    for (const row of rows) {
      const report = reports[Number(row.i) - 1];
      if (report) matched.set(report, { id: row.id, requestTime: row.request_time });
    }
    return matched;
  }

  private async store(
    manager: EntityManager,
    reports: readonly DeliveryReport[],
    matched: Map<DeliveryReport, MatchedMessage>,
    closed: ReadonlyMap<string, string | null>,
    source: ReportSource,
    now: Date,
  ): Promise<void> {
    await sql(
      manager,
      `INSERT INTO delivery_reports (plugin_id, vendor_message_id, ref, status, vendor_code, vendor_message, telco,
                                     sent_at, completed_at, reported_at, received_at, source, message_id, raw)
       SELECT v.plugin_id, v.vendor_message_id, v.ref, v.status, v.vendor_code, v.vendor_message, v.telco, v.sent_at,
              v.completed_at, v.reported_at, $1, $2, v.message_id, v.raw
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::uuid[], $14::jsonb[])
              AS v(plugin_id, vendor_message_id, ref, status, vendor_code, vendor_message, telco, sent_at,
                   completed_at, reported_at, message_id, raw)`,
      [
        now,
        source,
        reports.map((r) => r.pluginId),
        // the vendor id only where the message row does not hold it: a report whose message it closed (in this
        // transaction) stores NULL, the message keeping that same id from its final outcome on (`reportVendorId`);
        // ~37 bytes of nearly every row
        reports.map((r) => {
          const matchedId = matched.get(r)?.id;
          return matchedId !== undefined && closed.get(matchedId) === r.vendorMessageId
            ? null
            : r.vendorMessageId;
        }),
        // our ref echoed back says nothing the matched row's message_id does not: kept only when it does
        // (an unmatched report, or a ref that is not the matched message's id); ~40 bytes of every row
        reports.map((r) => {
          const matchedId = matched.get(r)?.id;
          return matchedId !== undefined && messageIdOfRef(r.ref) === matchedId ? null : clip(r.ref);
        }),
        reports.map((r) => r.status),
        reports.map((r) => clip(r.vendorCode)),
        reports.map((r) => clip(r.vendorMessage)),
        reports.map((r) => clip(r.telco)),
        reports.map((r) => validDate(r.sentAt)),
        reports.map((r) => validDate(r.completedAt)),
        reports.map((r) => validDate(r.reportedAt) ?? now),
        reports.map((r) => matched.get(r)?.id ?? null),
        // the vendor's own words only where ours are not enough: a matched report's columns say what it
        // said (SENS repeats the whole message in it: content, numbers), an unmatched one is kept as received
        reports.map((r) => (r.raw === undefined || matched.has(r) ? null : JSON.stringify(r.raw))),
      ],
    );
  }

  /**
   * One UPDATE closing many messages; the WHERE keeps final states final. Returns the messages closed, with the
   * vendor id each now holds.
   */
  private async close(
    manager: EntityManager,
    closing: readonly { message: MatchedMessage; report: DeliveryReport }[],
    now: Date,
  ): Promise<ReadonlyMap<string, string | null>> {
    const seen = new Set<string>();
    // one message, one decisive report
    const unique = closing.filter((c) => !seen.has(c.message.id) && seen.add(c.message.id));
    if (unique.length === 0) return new Map();
    return closeByReports(
      manager,
      unique.map(({ message, report }) => ({
        message,
        state: report.status as ReportClosing['state'],
        code: clip(report.vendorCode) ?? report.status,
        text: clip(report.vendorMessage),
        telco: clip(report.telco),
        completedAt: validDate(report.completedAt),
        vendorMessageId: report.vendorMessageId,
        sentAt: message.sentAt ?? null,
      })),
      now,
    );
  }
}
