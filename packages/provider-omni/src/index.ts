import { definePlugin } from '@munja/provider-kit';
import { PLUGIN_ID, validateOmniConfig, type OmniConfig } from './config';
import { OMNI_PROFILE } from './limit-profile';
import { OmniProvider } from './omni-provider';
import { OMNI_SENDER_POLICIES } from './sender-policy';

export { CONFIG_DEFAULTS, PLUGIN_ID, validateOmniConfig, type OmniConfig, type ReportMode } from './config';
export { OMNI_PROFILE } from './limit-profile';
export {
  planRequest,
  type LocalRejection,
  type OmniSendRequest,
  type PlannedRequest,
} from './message-request';
export { OmniProvider } from './omni-provider';
export { OMNI_SENDER_POLICIES } from './sender-policy';
export { mapOmniReport, parseOmniTime, statusOf } from './report-mapping';
export { TokenCache, type AccessToken } from './token-cache';
export { OMNI_BASE_URL } from './wire';

/** What the webhook receiver answers Infobank for one report ([IB-js]: `{ "msgKey": … }`). */
export function webhookAnswer(report: { vendorMessageId: string }): { msgKey: string } {
  return { msgKey: report.vendorMessageId };
}

/**
 * Infobank OMNI: international SMS (concatenated, two reports each) and domestic SMS/LMS/MMS, so OMNI can
 * also be the fallback route for domestic traffic. One recipient per vendor call; send() runs them
 * concurrently over one keep-alive pool.
 */
const omniPlugin = definePlugin<OmniConfig>({
  id: PLUGIN_ID,
  displayName: 'Infobank OMNI',
  channels: ['INTL', 'SMS', 'LMS', 'MMS'],
  limitProfile: OMNI_PROFILE,
  // the simple send endpoints take one `to` per request [IB-gitbook], [IB-js]
  maxRecipientsPerCall: 1,
  senderPolicies: OMNI_SENDER_POLICIES,
  validateConfig: validateOmniConfig,
  create: (config, context) => new OmniProvider(config, context, OMNI_PROFILE),
});

export default omniPlugin;
