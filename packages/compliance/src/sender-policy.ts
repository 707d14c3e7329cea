import {
  SENDER_POLICIES,
  type CountrySenderPolicy,
  type SenderKind,
  type SenderPolicyTable,
  type SignatureRule,
} from '@munja/rules';
import { ComplianceError } from './compliance-error';

// The table's types are data every plugin declares (@munja/rules, beside the limit profiles); the rules that
// read them are here.
export type { CountrySenderPolicy, SenderKind, SenderPolicyTable, SignatureRule };

/**
 * SENS's table (seed 000): 1 RANDOM · 65 AS_ENTERED · 81 FIXED · 852 RANDOM · 86 RANDOM + 【Verify】 · 886 RANDOM.
 * reviewRequest's default; the server passes the table of the plugin each message is routed to.
 */
export const SENS_SENDER_POLICIES: SenderPolicyTable = SENDER_POLICIES.SENS;

/** A new table with `countries` added or replaced (and optionally another fallback); the base is not changed. */
export function extendSenderPolicies(
  base: SenderPolicyTable,
  countries: readonly CountrySenderPolicy[],
  fallback?: SenderPolicyTable['fallback'],
): SenderPolicyTable {
  const merged: Record<string, CountrySenderPolicy> = { ...base.countries };
  for (const policy of countries) merged[policy.countryCode] = policy;
  return { countries: merged, fallback: fallback === undefined ? base.fallback : fallback };
}

export interface PlannedSender {
  readonly kind: SenderKind;
  /** the number the recipient will see, when it is known (AS_ENTERED, or FIXED with a known sender) */
  readonly number: string | null;
}

export interface InternationalSenderPlan {
  readonly countryCode: string;
  readonly sender: PlannedSender;
  /** the exact text that will go, signature included */
  readonly text: string;
  readonly signatureInserted: boolean;
}

/**
 * Put a vendor's signature at the start of the text, exactly once: a text that already starts with it is
 * unchanged, and one that carries it elsewhere has it moved to the start (the vendor would otherwise show it
 * twice).
 */
export function withSignature(text: string, signature: string): { text: string; inserted: boolean } {
  if (text.startsWith(signature)) return { text, inserted: false };
  const at = text.indexOf(signature);
  const rest = at < 0 ? text : text.slice(0, at) + text.slice(at + signature.length);
  return { text: signature + rest.replace(/^\s+/u, ''), inserted: true };
}

export function senderPolicyFor(table: SenderPolicyTable, countryCode: string): CountrySenderPolicy {
  const code = String(countryCode ?? '').replace(/^\+/, '');
  const known = table.countries[code];
  if (known) return known;
  if (!table.fallback || !/^\d{1,3}$/.test(code)) {
    throw new ComplianceError(
      'UNSUPPORTED_COUNTRY',
      'countryCode',
      `no sender policy for country code '${code}'`,
    );
  }
  return { countryCode: code, country: code, ...table.fallback };
}

/** A sender's own signature at the very start of a text: 【name】, one line, nothing but the name inside. */
const SENDER_SIGNATURE = /^【[^【】\r\n]+】/u;

function signed(
  rule: SignatureRule | undefined,
  text: string,
  country: string,
  field: string,
): { text: string; inserted: boolean } {
  if (rule === undefined) return { text, inserted: false };
  if (rule.by === 'VENDOR') return withSignature(text, rule.text);
  // The sender's registered signature cannot be made up here: a text without one is refused, not altered.
  if (!SENDER_SIGNATURE.test(text)) {
    throw new ComplianceError(
      'SIGNATURE_REQUIRED',
      field,
      `a message to ${country} on this route must begin with the sender's registered signature, e.g. 【INFO中国】`,
    );
  }
  return { text, inserted: false };
}

/**
 * Which sender and which exact text an international message will go with. A `VENDOR` signature is shown
 * where the vendor puts it; a `SENDER` signature must already open the text (else SIGNATURE_REQUIRED on
 * `field`), which then goes exactly as written.
 */
export function planInternationalSender(
  table: SenderPolicyTable,
  countryCode: string,
  from: string,
  text: string,
  field = 'content',
): InternationalSenderPlan {
  const policy = senderPolicyFor(table, countryCode);
  const number =
    policy.sender === 'AS_ENTERED' ? from : policy.sender === 'FIXED' ? (policy.fixedSender ?? null) : null;
  const signature = signed(policy.signature, text, policy.country, field);
  return {
    countryCode: policy.countryCode,
    sender: { kind: policy.sender, number },
    text: signature.text,
    signatureInserted: signature.inserted,
  };
}
