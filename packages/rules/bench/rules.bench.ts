/**
 * pnpm --filter @munja/rules bench
 *
 * Messages per second for segment() and countBytes() over a fixed seeded corpus of 100,000 mixed messages,
 * side by side with sms-segments-calculator and a plain iconv-lite EUC-KR encode, in the same run.
 * Prints one JSON line per measurement, then a summary line.
 *
 * These machines are shared (load average often above the 2 cores), so each measurement runs in several
 * interleaved rounds — every contender once per round — and the summary compares the best round of each,
 * with the median alongside.
 */
import * as os from 'node:os';
import * as iconv from 'iconv-lite';
import { SegmentedMessage } from 'sms-segments-calculator';
import { countBytes, RuleError, segment } from '../src';
import { buildCorpus } from './corpus';

const CORPUS_SIZE = 100_000;
const ROUNDS = 3;
/**
 * sms-segments-calculator plans only a few hundred of these messages per second (they average ~400
 * characters): 100,000 would take minutes per round, so it runs on the first 1,000 messages of the corpus
 * (same distribution), and segment() is also timed on that same subset.
 */
const CALCULATOR_SUBSET = 1_000;

const corpus = buildCorpus(CORPUS_SIZE);
const all = corpus.messages;
const subset = all.slice(0, CALCULATOR_SUBSET);
let sink = 0;

interface Contender {
  name: string;
  messages: readonly string[];
  run: (text: string) => void;
  note?: string;
  rates: number[];
}

const contenders: Contender[] = [
  {
    name: 'segment',
    note: 'maxParts 100: planning only',
    messages: all,
    run: (text) => {
      sink += segment(text, { maxParts: 100 }).parts.length;
    },
    rates: [],
  },
  {
    name: 'segment (maxParts 5, TOO_MANY_PARTS caught)',
    note: 'about a third of the corpus is over 5 parts: each such message costs a throw',
    messages: all,
    run: (text) => {
      try {
        sink += segment(text).parts.length;
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        sink++;
      }
    },
    rates: [],
  },
  {
    name: 'segment on the calculator subset',
    note: `first ${CALCULATOR_SUBSET} messages of the corpus, maxParts 100`,
    messages: subset,
    run: (text) => {
      sink += segment(text, { maxParts: 100 }).parts.length;
    },
    rates: [],
  },
  {
    name: 'sms-segments-calculator',
    note: `new SegmentedMessage(text).segmentsCount on the first ${CALCULATOR_SUBSET} messages only: all 100,000 would take minutes`,
    messages: subset,
    run: (text) => {
      sink += new SegmentedMessage(text).segmentsCount;
    },
    rates: [],
  },
  {
    name: 'countBytes',
    note: 'UNENCODABLE_CHARACTER caught: a throw on an emoji message counts as handled',
    messages: all,
    run: (text) => {
      try {
        sink += countBytes(text);
      } catch (error) {
        if (!(error instanceof RuleError)) throw error;
        sink++;
      }
    },
    rates: [],
  },
  {
    name: 'iconv-lite encode EUC-KR',
    note: "iconv.encode(text, 'euc-kr').length; writes '?' for what it cannot encode",
    messages: all,
    run: (text) => {
      sink += iconv.encode(text, 'euc-kr').length;
    },
    rates: [],
  },
];

function print(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

function timeOnce(contender: Contender): number {
  const { messages, run } = contender;
  const start = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i++) run(messages[i] as string);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Math.round(messages.length / seconds);
}

const median = (values: number[]): number =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
const best = (values: number[]): number => Math.max(...values);

print({
  corpus: CORPUS_SIZE,
  seed: 20261122,
  kinds: corpus.kinds,
  averageLength: Math.round(corpus.totalCharacters / CORPUS_SIZE),
  rounds: ROUNDS,
  node: process.version,
  cpus: os.cpus().length,
});

// Warm-up: JIT and the lazily filled character tables.
for (const contender of contenders) {
  for (let i = 0; i < Math.min(500, contender.messages.length); i++)
    contender.run(contender.messages[i] as string);
}

for (let round = 1; round <= ROUNDS; round++) {
  for (const contender of contenders) {
    const rate = timeOnce(contender);
    contender.rates.push(rate);
    print({ round, name: contender.name, messages: contender.messages.length, messagesPerSecond: rate });
  }
}

for (const contender of contenders) {
  print({
    name: contender.name,
    messages: contender.messages.length,
    bestMessagesPerSecond: best(contender.rates),
    medianMessagesPerSecond: median(contender.rates),
    ...(contender.note ? { note: contender.note } : {}),
  });
}

// Agreement on the subset, so the speed is not bought with wrong answers; and what the corpus holds.
let samePlans = 0;
for (const text of subset) {
  const ours = segment(text, { maxParts: 100 });
  const theirs = new SegmentedMessage(text);
  const sameEncoding = (ours.encoding === 'GSM7') === (theirs.encodingName === 'GSM-7');
  if (sameEncoding && ours.parts.length === theirs.segmentsCount) samePlans++;
}
let overFiveParts = 0;
let unencodable = 0;
for (const text of all) {
  if (segment(text, { maxParts: 100 }).parts.length > 5) overFiveParts++;
  try {
    countBytes(text);
  } catch {
    unencodable++;
  }
}

const rate = (name: string, pick: (rates: number[]) => number): number =>
  pick(contenders.find((contender) => contender.name === name)?.rates ?? [0]);
print({
  summary: true,
  segmentVsCalculatorSameSubset: Number(
    (rate('segment on the calculator subset', best) / rate('sms-segments-calculator', best)).toFixed(1),
  ),
  segmentFullCorpusVsCalculator: Number(
    (rate('segment', best) / rate('sms-segments-calculator', best)).toFixed(1),
  ),
  countBytesVsIconv: Number((rate('countBytes', best) / rate('iconv-lite encode EUC-KR', best)).toFixed(2)),
  countBytesVsIconvMedian: Number(
    (rate('countBytes', median) / rate('iconv-lite encode EUC-KR', median)).toFixed(2),
  ),
  sameEncodingAndPartCountAsCalculator: `${samePlans}/${subset.length}`,
  messagesOverFiveParts: overFiveParts,
  messagesUnencodableInCp949: unencodable,
  loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  sink: sink % 10,
});
