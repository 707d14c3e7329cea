/**
 * What the recipient sees as the sender of an international SMS on one vendor's route:
 * RANDOM: the carrier shows a random number; AS_ENTERED: the `from` number goes as entered; FIXED: the vendor's
 * fixed sender.
 */
export type SenderKind = 'RANDOM' | 'AS_ENTERED' | 'FIXED';

/**
 * How texts to a country must be signed on one vendor's route (China requires a signature at the very start):
 * - `VENDOR`: the vendor itself puts `text` at the start (SENS: 【Verify】); the plan shows it there, once;
 * - `SENDER`: the text must already start with the sender's own registered signature in 【】 (Infobank OMNI:
 *   【INFO中国】), and goes exactly as written — nothing is added in front of it.
 */
export type SignatureRule = { readonly by: 'VENDOR'; readonly text: string } | { readonly by: 'SENDER' };

export interface CountrySenderPolicy {
  readonly countryCode: string;
  readonly country: string;
  readonly sender: SenderKind;
  /** for FIXED: the sender shown, when known (null: the vendor's own, not disclosed) */
  readonly fixedSender?: string | null;
  readonly signature?: SignatureRule;
}

/** One vendor's international sender policy per country, as data, so that each plugin brings its own. */
export interface SenderPolicyTable {
  /** keyed by country calling code without `+` */
  readonly countries: Readonly<Record<string, CountrySenderPolicy>>;
  /** for a country the table does not name; null refuses such countries with UNSUPPORTED_COUNTRY */
  readonly fallback: Omit<CountrySenderPolicy, 'countryCode' | 'country'> | null;
}

export const SENDER_POLICIES = {
  /**
   * Ncloud SENS, from its console guide (seed 000, "国際SMSの発送国別発信番号ポリシー"; the rows as the seed gives
   * them, not re-confirmed — docs/message-rules.md §4). Countries the table does not list: the number is assumed to
   * go as entered (UNCONFIRMED).
   */
  SENS: {
    countries: {
      '1': { countryCode: '1', country: 'US/CA', sender: 'RANDOM' },
      '65': { countryCode: '65', country: 'SG', sender: 'AS_ENTERED' },
      '81': { countryCode: '81', country: 'JP', sender: 'FIXED', fixedSender: null },
      '852': { countryCode: '852', country: 'HK', sender: 'RANDOM' },
      '86': {
        countryCode: '86',
        country: 'CN',
        sender: 'RANDOM',
        signature: { by: 'VENDOR', text: '【Verify】' },
      },
      '886': { countryCode: '886', country: 'TW', sender: 'RANDOM' },
    },
    fallback: { sender: 'AS_ENTERED' },
  },
  /**
   * For a plugin that declares no policy: every country accepted, the `from` number as entered, the text exactly
   * as written — the platform claims nothing it does not know about the vendor.
   */
  AS_WRITTEN: { countries: {}, fallback: { sender: 'AS_ENTERED' } },
} as const satisfies Record<string, SenderPolicyTable>;
