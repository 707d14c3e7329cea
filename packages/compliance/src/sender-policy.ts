import { ComplianceError } from './compliance-error';

/**
 * What the recipient sees as the sender of an international SMS, per country (SENS console guide, seed 000,
 * "国際SMSの発送国別発信番号ポリシー"; rows as given in the seed, not re-confirmed — docs/message-rules.md §4).
 * RANDOM: the carrier shows a random number; AS_ENTERED: the `from` number goes as entered; FIXED: the vendor's
 * fixed sender.
 */
export type SenderKind = 'RANDOM' | 'AS_ENTERED' | 'FIXED';

export interface CountrySenderPolicy {
  readonly countryCode: string;
  readonly country: string;
  readonly sender: SenderKind;
  /** for FIXED: the sender shown, when known (null: the vendor's own, not disclosed) */
  readonly fixedSender?: string | null;
  /** a signature the vendor puts at the start of the text (China: 【Verify】) */
  readonly signature?: string;
}

/** Data, so that a plugin can bring its own vendor's table (see extendSenderPolicies). */
export interface SenderPolicyTable {
  readonly countries: Readonly<Record<string, CountrySenderPolicy>>;
  /** for a country the table does not name; null refuses such countries with UNSUPPORTED_COUNTRY */
  readonly fallback: Omit<CountrySenderPolicy, 'countryCode' | 'country'> | null;
}

export const SENS_SENDER_POLICIES: SenderPolicyTable = {
  countries: {
    '1': { countryCode: '1', country: 'US/CA', sender: 'RANDOM' },
    '65': { countryCode: '65', country: 'SG', sender: 'AS_ENTERED' },
    '81': { countryCode: '81', country: 'JP', sender: 'FIXED', fixedSender: null },
    '852': { countryCode: '852', country: 'HK', sender: 'RANDOM' },
    '86': { countryCode: '86', country: 'CN', sender: 'RANDOM', signature: '【Verify】' },
    '886': { countryCode: '886', country: 'TW', sender: 'RANDOM' },
  },
  // Countries the seed's table does not list: we assume the number goes as entered (UNCONFIRMED).
  fallback: { sender: 'AS_ENTERED' },
};

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
 * Put a signature at the start of the text, exactly once: a text that already starts with it is unchanged, and
 * one that carries it elsewhere has it moved to the start (the vendor would otherwise show it twice).
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

/** Which sender and which exact text an international message will go with. */
export function planInternationalSender(
  table: SenderPolicyTable,
  countryCode: string,
  from: string,
  text: string,
): InternationalSenderPlan {
  const policy = senderPolicyFor(table, countryCode);
  const number =
    policy.sender === 'AS_ENTERED' ? from : policy.sender === 'FIXED' ? (policy.fixedSender ?? null) : null;
  const signed = policy.signature ? withSignature(text, policy.signature) : { text, inserted: false };
  return {
    countryCode: policy.countryCode,
    sender: { kind: policy.sender, number },
    text: signed.text,
    signatureInserted: signed.inserted,
  };
}
