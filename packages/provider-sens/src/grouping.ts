import type { OutboundMessage } from '@munja/provider-kit';

/** The SENS `type` of a domestic channel. */
export type SensType = 'SMS' | 'LMS' | 'MMS';

/** The body of one `POST …/messages`, and which of our messages it carries. */
export interface VendorCall {
  readonly body: SensSendBody;
  readonly messages: readonly OutboundMessage[];
}

export interface SensSendBody {
  type: SensType;
  contentType: 'COMM' | 'AD';
  countryCode: string;
  from: string;
  subject?: string;
  content: string;
  messages: Array<{ to: string; subject?: string; content?: string }>;
  files?: Array<{ fileId: string }>;
}

/** An SMS has no subject; LMS/MMS do. */
const subjectOf = (m: OutboundMessage): string | undefined => (m.channel === 'SMS' ? undefined : m.subject);

/**
 * The fields a vendor call shares by all its recipients: SENS has per-recipient overrides only for `to`,
 * `subject` and `content`, so everything else splits messages into different calls.
 */
function callKey(m: OutboundMessage): string {
  // a message without a subject must not inherit the call's default one: it travels in a call of its own kind
  return JSON.stringify([
    m.channel,
    m.contentType,
    m.countryCode,
    m.from,
    m.fileIds ?? [],
    subjectOf(m) === undefined,
  ]);
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  let best = values[0] ?? '';
  let bestCount = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

function buildBody(chunk: readonly OutboundMessage[]): SensSendBody {
  const first = chunk[0]!;
  const content = mostCommon(chunk.map((m) => m.content));
  const subjects = chunk.map(subjectOf).filter((s): s is string => s !== undefined);
  const subject = subjects.length > 0 ? mostCommon(subjects) : undefined;
  return {
    type: first.channel as SensType,
    contentType: first.contentType,
    countryCode: first.countryCode,
    from: first.from,
    ...(subject !== undefined ? { subject } : {}),
    content,
    messages: chunk.map((m) => {
      const s = subjectOf(m);
      // only what differs from the call's defaults travels as an override
      return {
        to: m.to,
        ...(s !== undefined && s !== subject ? { subject: s } : {}),
        ...(m.content !== content ? { content: m.content } : {}),
      };
    }),
    ...(first.fileIds && first.fileIds.length > 0
      ? { files: first.fileIds.map((fileId) => ({ fileId })) }
      : {}),
  };
}

/**
 * Split one group (all fields shared) into the fewest chunks: k = max(⌈n / max⌉, most copies of one recipient),
 * which is also the lower bound, since a call never carries the same recipient twice (the plugin matches the
 * vendor's message ids to our refs by recipient).
 */
function chunkGroup(group: readonly OutboundMessage[], max: number): OutboundMessage[][] {
  const copies = new Map<string, number>();
  for (const m of group) copies.set(m.to, (copies.get(m.to) ?? 0) + 1);
  const mostCopies = Math.max(...copies.values());
  // same text together, so most recipients use the call's default subject/content
  const byText = [...group].sort((a, b) =>
    a.content === b.content
      ? (subjectOf(a) ?? '').localeCompare(subjectOf(b) ?? '')
      : a.content < b.content
        ? -1
        : 1,
  );
  if (mostCopies === 1) {
    const chunks: OutboundMessage[][] = [];
    for (let i = 0; i < byText.length; i += max) chunks.push(byText.slice(i, i + max));
    return chunks;
  }
  // Repeated recipients: deal the messages round-robin over k chunks, a recipient's copies one after another,
  // so they land in different chunks and no chunk exceeds ⌈n / k⌉ ≤ max.
  const k = Math.max(Math.ceil(group.length / max), mostCopies);
  const byRecipient = [...byText].sort(
    (a, b) => copies.get(b.to)! - copies.get(a.to)! || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
  );
  const chunks: OutboundMessage[][] = Array.from({ length: k }, () => []);
  byRecipient.forEach((m, i) => chunks[i % k]!.push(m));
  return chunks;
}

/**
 * Group messages into the fewest vendor calls: one group per shared-field key (SENS overrides only `to`,
 * `subject` and `content` per recipient), each split by chunkGroup into calls of at most `max` recipients.
 */
export function groupIntoCalls(messages: readonly OutboundMessage[], max: number): VendorCall[] {
  const groups = new Map<string, OutboundMessage[]>();
  for (const m of messages) {
    const key = callKey(m);
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  const calls: VendorCall[] = [];
  for (const group of groups.values())
    for (const chunk of chunkGroup(group, max)) calls.push({ body: buildBody(chunk), messages: chunk });
  return calls;
}
