import { PROFILES, type LimitProfile } from '@munja/rules';
import { MMS_TITLE_MAX_BYTES } from './unconfirmed';

/**
 * OMNI's domestic limits [IB-js] SMSRequestBody.ts / MMSRequestBody.ts: SMS text 90 bytes, LMS/MMS text
 * 2000 bytes, up to 3 file keys — the same as SENS's API. The title limit and the image rules are
 * UNCONFIRMED for OMNI (see unconfirmed.ts) and follow the SENS values.
 */
export const OMNI_PROFILE: LimitProfile = {
  id: 'OMNI',
  sms: { contentBytes: 90 },
  lms: { subjectBytes: MMS_TITLE_MAX_BYTES, contentBytes: 2000 },
  mms: { ...PROFILES.SENS.mms, subjectBytes: MMS_TITLE_MAX_BYTES, contentBytes: 2000, maxFiles: 3 },
};
