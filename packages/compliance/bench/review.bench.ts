// Prints JSON lines: how many recipients per second reviewRequest plans for 100,000-recipient bulk sends,
// beside the cost of normalizing the same numbers alone (the per-recipient floor reviewRequest cannot beat).
// Run: pnpm --filter @munja/compliance bench
import { normalizeKoreanNumber } from '@munja/rules';
import {
  applyOptOutService,
  completeOptOutService,
  registerCallingNumber,
  reviewRequest,
  transitionCallingNumber,
  type ReviewContext,
  type ReviewRequest,
} from '../src';

const RECIPIENTS = 100_000;

/** mulberry32: a small seeded generator, so every run reviews the same corpus. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261122);
const digits: string[] = [];
const spelled: string[] = [];
const seen = new Set<string>();
while (digits.length < RECIPIENTS) {
  // 010-2000-0000 .. 010-5969-9999: all valid mobile numbers
  const n = `010${2000 + Math.floor(random() * 3970)}${String(Math.floor(random() * 10_000)).padStart(4, '0')}`;
  if (seen.has(n)) continue;
  seen.add(n);
  digits.push(n);
  const style = Math.floor(random() * 3);
  spelled.push(
    style === 0 ? n : style === 1 ? `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}` : `+82 ${n.slice(1)}`,
  );
}
const blockList = new Set(digits.filter(() => random() < 0.1));
const chinese = Array.from({ length: RECIPIENTS }, (_, i) => `138${String(i).padStart(8, '0')}`);

const t0 = new Date('2026-01-01T00:00:00Z');
const approved = transitionCallingNumber(
  transitionCallingNumber(
    registerCallingNumber({ number: '02-1234-5678', method: 'DOCUMENT' }, [], t0),
    { type: 'START' },
    t0,
  ),
  { type: 'APPROVE' },
  t0,
);
const context: ReviewContext = {
  now: new Date('2026-03-10T03:00:00Z'),
  callingNumbers: [approved],
  optOutService: completeOptOutService(
    applyOptOutService({ companyName: '문자상사' }, t0),
    '080-1234-5678',
    t0,
  ),
  blockList,
};

function measure(name: string, run: () => number, extra: Record<string, unknown> = {}): void {
  run(); // warm-up
  const rounds = 3;
  let best = Infinity;
  let planned = 0;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    planned = run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    best = Math.min(best, ms);
  }
  console.log(
    JSON.stringify({
      bench: name,
      recipients: RECIPIENTS,
      planned,
      bestMs: Math.round(best),
      recipientsPerSecond: Math.round((RECIPIENTS / best) * 1000),
      ...extra,
    }),
  );
}

const base = { from: '02-1234-5678', content: '봄 맞이 전 품목 20% 할인! 매장에서 확인하세요.' };
const review = (request: ReviewRequest) => reviewRequest(request, context).summary.planned;

measure('normalizeKoreanNumber alone (floor)', () => spelled.filter((n) => normalizeKoreanNumber(n)).length);
measure('reviewRequest COMM, one content', () =>
  review({ ...base, messages: spelled.map((to) => ({ to })) }),
);
measure(
  'reviewRequest AD, one content, insert labels, 10% blocked',
  () => review({ ...base, contentType: 'AD', messages: spelled.map((to) => ({ to })) }),
  { blockListSize: blockList.size },
);
measure(
  'reviewRequest AD, a distinct content per recipient',
  () =>
    review({
      ...base,
      contentType: 'AD',
      messages: spelled.map((to, i) => ({ to, content: `고객님 ${i}번 쿠폰이 도착했습니다.` })),
    }),
  { blockListSize: blockList.size },
);
measure('reviewRequest INTL China, one content', () =>
  review({
    ...base,
    countryCode: '86',
    content: 'Your code is 1234',
    messages: chinese.map((to) => ({ to })),
  }),
);
