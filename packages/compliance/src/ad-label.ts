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
 * A label-like start that is not exactly `(광고)`: `[광고]`, `(광 고)`, `( 광고 )`, `<광고>`, `【광고】`,
 * `(대출광고)`, `광고)`... The law allows none of them, so they count as missing, and `insert` replaces them
 * rather than stacking a second label in front. A bracket is required on at least one side so that a body
 * that merely starts with the word 광고 is left alone.
 */
const LABEL_VARIANT =
  /^\s*(?:[([{<【〔（［「『〈《]\s*[가-힣]{0,4}\s*광\s*고\s*[)\]}>】〕）］」』〉》]?|광\s*고\s*[)\]}>】〕）］」』〉》])[ \t]*/u;

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
  /** the text after a correct label, or the whole text with a wrong variant removed */
  readonly afterLabel: string;
  readonly labelOk: boolean;
  readonly senderOk: boolean;
  /** the text without a trailing opt-out line (correct or not) */
  readonly bodyWithoutFooter: string;
  readonly footerOk: boolean;
}

/** One label at the start of `text`, exact or a variant, and what follows it; null when there is none. */
function leadingLabel(text: string): { exact: boolean; rest: string } | null {
  const trimmed = text.replace(/^\s+/u, '');
  if (trimmed.startsWith(AD_LABEL)) return { exact: true, rest: trimmed.slice(AD_LABEL.length) };
  const variant = LABEL_VARIANT.exec(trimmed);
  return variant ? { exact: false, rest: trimmed.slice(variant[0].length) } : null;
}

function inspect(content: string, senderName: string, number080: string): Inspection {
  // The label must be the very first thing, exactly once: leading blanks, a variant or a repeated label all
  // count as "not labelled", and insert rebuilds the start from the text after every leading label.
  let afterLabel = content.replace(/^\s+/u, '');
  let labels = 0;
  let labelOk = content.startsWith(AD_LABEL);
  for (let label = leadingLabel(afterLabel); label; label = leadingLabel(afterLabel)) {
    labels++;
    if (labels > 1 || !label.exact) labelOk = false;
    afterLabel = label.rest;
  }
  const afterLabelTrimmed = afterLabel.replace(/^[ \t]+/u, '');
  const senderOk = senderName.length > 0 && afterLabelTrimmed.startsWith(senderName);

  const { head, last } = splitLastLine(content);
  const footer = OPT_OUT_LINE.exec(last);
  const footerOk = !!footer && !!footer[1] && footer[2]!.replace(/\D/g, '') === number080;
  return {
    afterLabel: afterLabelTrimmed,
    labelOk,
    senderOk,
    bodyWithoutFooter: footer ? head : content.replace(/\s+$/u, ''),
    footerOk,
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
  if (!i.footerOk) missing.push('optOutNotice');
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

  // Rebuild from the parts: correct label, then the sender name unless it is already there, then the body
  // without any opt-out line, then the correct opt-out line.
  const i = inspect(content, senderName, number080);
  const withoutFooter = inspect(i.bodyWithoutFooter, senderName, number080);
  const rest = withoutFooter.afterLabel;
  const start = withoutFooter.senderOk
    ? `${AD_LABEL}${rest}`
    : `${AD_LABEL}${senderName}${rest ? '\n' + rest : ''}`;
  return { content: `${start}\n${optOutNotice(number080)}`, inserted: missing };
}
