import { definePlugin } from '@munja/provider-kit';
import { PROFILES, SENDER_POLICIES } from '@munja/rules';
import { PLUGIN_ID, validateSensConfig, type SensConfig } from './config';
import { MAX_RECIPIENTS_PER_CALL, SensProvider } from './provider';

export { validateSensConfig, DEFAULT_BASE_URL, type SensConfig } from './config';
export { SensProvider, MAX_RECIPIENTS_PER_CALL, UNRESOLVED_PREFIX } from './provider';
export { groupIntoCalls, type VendorCall, type SensSendBody } from './grouping';
export { signV2, stringToSign, authHeaders } from './signature';
export { toDeliveryReport, canonicalStatus, parseVendorTime, type SensMessageResult } from './report-mapping';

/** Ncloud SENS API v2: domestic SMS / LMS / MMS, 100 recipients per call, results by polling. */
const sensPlugin = definePlugin<SensConfig>({
  id: PLUGIN_ID,
  displayName: 'Ncloud SENS (SMS API v2)',
  channels: ['SMS', 'LMS', 'MMS'],
  limitProfile: PROFILES.SENS,
  maxRecipientsPerCall: MAX_RECIPIENTS_PER_CALL,
  // SENS's per-country sender policy abroad (seed 000: random numbers, 【Verify】 inserted for China): declared
  // so that a route through SENS is reviewed by SENS's own rules (this plugin carries domestic channels today).
  senderPolicies: SENDER_POLICIES.SENS,
  // a result is asked for by the message's own id (an id not learned at send time carries its requestId in it)
  pollsWithVendorRequestId: false,
  validateConfig: validateSensConfig,
  create: (config, context) => new SensProvider(config, context),
});

export default sensPlugin;
