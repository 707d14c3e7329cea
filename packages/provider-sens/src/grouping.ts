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

/**
 * The fields a vendor call shares by all its recipients: SENS has per-recipient overrides only for `to`,
 * `subject` and `content`, so everything else splits messages into different calls.
 */
function callKey(m: OutboundMessage): string {
  return JSON.stringify([m.channel, m.contentType, m.countryCode, m.from, m.fileIds ?? []]);
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

/** An SMS has no subject; LMS/MMS do. */
const subjectOf = (m: OutboundMessage): string | undefined => (m.channel === 'SMS' ? undefined : m.subject);

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
      // an empty override would be dropped by nothing and sent as is; only differing values are overridden
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
 * Group messages into the fewest vendor calls: one group per shared-field key, split into chunks of at most
 * `max` recipients, never the same recipient twice in a call (the plugin matches the vendor's message ids to
 * our refs by recipient). Within a group, messages with the same text sit together so that most recipients
 * use the call's default subject/content and only the rest carry `messages[]` overrides.
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
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) =>
      a.content === b.content
        ? (subjectOf(a) ?? '').localeCompare(subjectOf(b) ?? '')
        : a.content < b.content
          ? -1
          : 1,
    );
    const chunks: Array<{ messages: OutboundMessage[]; recipients: Set<string> }> = [];
    let open = 0; // chunks before `open` are full
    for (const m of ordered) {
      let target = chunks.slice(open).find((c) => c.messages.length < max && !c.recipients.has(m.to));
      if (!target) {
        target = { messages: [], recipients: new Set() };
        chunks.push(target);
      }
      target.messages.push(m);
      target.recipients.add(m.to);
      while (open < chunks.length && chunks[open]!.messages.length >= max) open += 1;
    }
    for (const c of chunks) calls.push({ body: buildBody(c.messages), messages: c.messages });
  }
  return calls;
}
