import type { Channel, ContentType } from './channel';

/**
 * One message to one recipient, already planned by the rules and compliance packages: the plugin sends it
 * as it is and never rewrites the text.
 */
export interface OutboundMessage {
  /** our message reference: unique, stable across retries; comes back in outcomes and reports */
  readonly ref: string;
  readonly channel: Channel;
  readonly contentType: ContentType;
  /** the calling number (domestic, digits only) or the sender id the country policy chose */
  readonly from: string;
  /** domestic: digits only (01012345678); INTL: the national number without the country code */
  readonly to: string;
  /** the recipient's country calling code without '+', e.g. '82', '1', '86' */
  readonly countryCode: string;
  readonly subject?: string;
  readonly content: string;
  /** vendor file ids returned by Provider.uploadFile, for MMS */
  readonly fileIds?: readonly string[];
  /** INTL: the number of concatenated parts the text was planned as (rules' segment) */
  readonly parts?: number;
}
