import { ComplianceError } from './compliance-error';
import { format080Number, normalize080Number } from './opt-out-service';

/** The exact label an ad must begin with (정보통신망법 제50조 ④). */
export const AD_LABEL = '(광고)';

/** `insert` adds what is missing (idempotently); `strict` refuses a message that lacks anything. */
export type AdLabelMode = 'insert' | 'strict';

/** What an ad message must carry, named as the result and the errors name it. */
export type AdLabelPart = 'label' | 'senderName' | 'optOutNotice';

export interface AdLabelOptions {
  /** the name identifying the sender (company or service), placed right after `(광고)` */
  readonly senderName: string;
  /** the project's 080 opt-out number, any spelling; the footer shows it as 080-xxxx-xxxx */
  readonly number080: string;
  readonly mode: AdLabelMode;
}

export interface AdLabelResult {
  readonly content: string;
  /** what was added or corrected; empty when the text already complied */
  readonly inserted: readonly AdLabelPart[];
}

/**
 * A misspelt label: a bracket, the word 광고 with nothing but blanks around or inside it, and a closing bracket
 * (`[광고]`, `(광 고)`, `( 광고 )`, `<광고>`, `【광고】`, `（광고）`). The law allows none of them, so they count as
 * missing and `insert` replaces them rather than stacking a second label in front. Both brackets are required
 * and nothing else may be inside: a bracket holding other words — `[광고모델 모집]`, `(광고천국)`, `(대출광고)`,
 * a sender name such as `[제일광고]` — is the advertiser's text, and no label rule ever rewrites it (a word
 * beside 광고 cannot tell a wrong label from a name).
 */
const LABEL_VARIANT = /^[([{<【〔（［「『〈《]\s*광\s*고\s*[)\]}>】〕）］」』〉》]/u;

/**
 * A last line that is an opt-out notice: optional 무료, optional 수신, 거부, then a phone number. It is correct
 * only when it states that refusal is free (무료) and carries the project's 080 number.
 */
const OPT_OUT_LINE = /^\s*(무료\s*)?(?:수신\s*)?거부\s*[:：]?\s*(0[\d\s-]{7,14}\d)\s*$/u;

const FOOTER_PREFIX = '무료거부';

function splitLastLine(text: string): { head: string; last: string } {
  const trimmed = text.replace(/\s+$/u, '');
  const at = trimmed.lastIndexOf('\n');
  return at < 0 ? { head: '', last: trimmed } : { head: trimmed.slice(0, at), last: trimmed.slice(at + 1) };
}

interface Inspection {
  readonly labelOk: boolean;
  readonly senderOk: boolean;
  /** the text between the label(s) and the opt-out line, leading blanks removed: the advertiser's own text */
  readonly body: string;
  /** the last line when it is a correct opt-out notice (kept as the advertiser wrote it), else null */
  readonly footer: string | null;
}

/**
 * The label(s) at the start of `text`: the text after them, and whether the start is exactly one `(광고)`.
 * A text starting with `(광고)` has its label there, whatever the sender name looks like; after that, text that
 * starts with the sender name is the sender name, never a further label — so a name such as `(광고)` or `[광고]`
 * is not read as a stacked label. Leading blanks, variants and repeated labels all make the label wrong, and
 * `insert` rebuilds the start from the text after every one of them.
 */
function readLabels(text: string, senderName: string): { rest: string; labelOk: boolean } {
  let labelOk = text.startsWith(AD_LABEL);
  let rest = labelOk ? text.slice(AD_LABEL.length) : text;
  for (;;) {
    const trimmed = rest.replace(/^\s+/u, '');
    if (senderName !== '' && trimmed.startsWith(senderName)) break;
    const length = trimmed.startsWith(AD_LABEL) ? AD_LABEL.length : LABEL_VARIANT.exec(trimmed)?.[0].length;
    if (length === undefined) break;
    labelOk = false;
    rest = trimmed.slice(length);
  }
  return { rest, labelOk };
}

function inspect(content: string, senderName: string, number080: string): Inspection {
  const { head, last } = splitLastLine(content);
  const optOut = OPT_OUT_LINE.exec(last);
  const footerOk = !!optOut && !!optOut[1] && optOut[2]!.replace(/\D/g, '') === number080;
  // Any opt-out line, correct or not, is the footer and not the advertiser's text (a wrong one is replaced).
  const { rest, labelOk } = readLabels(optOut ? head : content.replace(/\s+$/u, ''), senderName);
  return {
    labelOk,
    senderOk: senderName !== '' && rest.replace(/^[ \t]+/u, '').startsWith(senderName),
    body: rest.replace(/^\s+/u, ''),
    footer: footerOk ? last : null,
  };
}

/** The free opt-out footer for a 080 number, e.g. `무료거부 080-1234-5678`. */
export function optOutNotice(number080: string): string {
  return `${FOOTER_PREFIX} ${format080Number(number080)}`;
}

/** Which of the three duties a text fails, in the order they appear in a message. */
export function missingAdLabelParts(content: string, options: Omit<AdLabelOptions, 'mode'>): AdLabelPart[] {
  const i = inspect(content, options.senderName.trim(), normalize080Number(options.number080));
  const missing: AdLabelPart[] = [];
  if (!i.labelOk) missing.push('label');
  if (!i.senderOk) missing.push('senderName');
  if (i.footer === null) missing.push('optOutNotice');
  return missing;
}

const MISSING_CODE = {
  label: 'AD_LABEL_MISSING',
  senderName: 'AD_SENDER_NAME_MISSING',
  optOutNotice: 'AD_OPT_OUT_NOTICE_MISSING',
} as const;

/**
 * Make an ad message carry `(광고)` + sender name at its start and `무료거부 080-…` at its end.
 * `insert`: adds what is missing and replaces wrong variants (applying it twice changes nothing).
 * `strict`: throws a ComplianceError whose code names the first missing part (the message lists all).
 * The result still has to be recounted (an SMS may have become an LMS): reviewRequest does that.
 */
export function applyAdLabel(content: string, options: AdLabelOptions, field = 'content'): AdLabelResult {
  const senderName = options.senderName.trim();
  if (senderName.length === 0) {
    throw new ComplianceError('AD_SENDER_NAME_REQUIRED', 'senderName', 'an ad needs the name of its sender');
  }
  const number080 = normalize080Number(options.number080);
  const missing = missingAdLabelParts(content, { senderName, number080 });
  if (missing.length === 0) return { content, inserted: [] };
  if (options.mode === 'strict') {
    const first = missing[0]!;
    throw new ComplianceError(
      MISSING_CODE[first],
      field,
      `an ad message must begin with ${AD_LABEL} and the sender name and end with ${optOutNotice(number080)}; ` +
        `missing: ${missing.join(', ')}`,
    );
  }

  // Rebuild from the parts: the label, the sender name unless the text starts with it, the advertiser's own
  // text unchanged, and the opt-out line (theirs when it was correct).
  const i = inspect(content, senderName, number080);
  const start = i.body.startsWith(senderName)
    ? `${AD_LABEL}${i.body}`
    : `${AD_LABEL}${senderName}${i.body ? '\n' + i.body : ''}`;
  return { content: `${start}\n${i.footer ?? optOutNotice(number080)}`, inserted: missing };
}
