import { Foundation1763700000000 } from './1763700000000-foundation';
import { Messages1763800000000 } from './1763800000000-messages';
import { Dispatch1763900000000 } from './1763900000000-dispatch';
import { Webhooks1764000000000 } from './1764000000000-webhooks';
import { Schedules1764100000000 } from './1764100000000-schedules';
import { MessagePartitions1764200000000 } from './1764200000000-message-partitions';
import { DispatchPlans1764300000000 } from './1764300000000-dispatch-plans';
import { MessageLayout1765100000000 } from './1765100000000-message-layout';
import { HotLifecycle1765100000100 } from './1765100000100-hot-lifecycle';
import { Outbox1765200000000 } from './1765200000000-outbox';
import { ReportAudit1765300000000 } from './1765300000000-report-audit';
import { PageRoom1765300000100 } from './1765300000100-page-room';
import { MessageTail1765400000000 } from './1765400000000-message-tail';
import { AwaitingWalk1766000000002 } from './1766000000002-awaiting-walk';
import { ReportVendorId1766000000003 } from './1766000000003-report-vendor-id';
import { HistoryAscending1766000000010 } from './1766000000010-history-ascending';
import { RequestCheck1766000000011 } from './1766000000011-request-check';
import { IdempotencyKeysOnly1766000000020 } from './1766000000020-idempotency-keys-only';
import { RequestHistoryUnused1766000000030 } from './1766000000030-request-history-unused';
import { MessagesThroughParent1766000000031 } from './1766000000031-messages-through-parent';
import { DeliveriesAscending1766000000032 } from './1766000000032-deliveries-ascending';
import { RequestCheckPlans1766000000033 } from './1766000000033-request-check-plans';
import { ReservationsByRequest1766000000034 } from './1766000000034-reservations-by-request';

/** Every migration, oldest first. Add new ones here (later timestamps). */
export const MIGRATIONS = [
  Foundation1763700000000,
  Messages1763800000000,
  Dispatch1763900000000,
  Webhooks1764000000000,
  Schedules1764100000000,
  MessagePartitions1764200000000,
  DispatchPlans1764300000000,
  MessageLayout1765100000000,
  HotLifecycle1765100000100,
  Outbox1765200000000,
  ReportAudit1765300000000,
  PageRoom1765300000100,
  MessageTail1765400000000,
  AwaitingWalk1766000000002,
  ReportVendorId1766000000003,
  HistoryAscending1766000000010,
  RequestCheck1766000000011,
  IdempotencyKeysOnly1766000000020,
  RequestHistoryUnused1766000000030,
  MessagesThroughParent1766000000031,
  DeliveriesAscending1766000000032,
  RequestCheckPlans1766000000033,
  ReservationsByRequest1766000000034,
];
