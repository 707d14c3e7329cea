import type { SenderPolicyTable } from '@munja/rules';

/**
 * Infobank OMNI's international sender policy (seed 004, 메시지 서명 / Sender ID). China: the sender's own
 * signature, registered with Infobank beforehand, must open the text — "【INFO中国】과 같은 형태로 문자 내용 맨 앞에
 * 삽입" — so a text to +86 must start with `【…】` and goes exactly as written (OMNI adds nothing; SENS's 【Verify】
 * is SENS's own). What the handset shows as the sender is not stated (UNCONFIRMED): the `from` number goes to
 * OMNI as entered; registered alphanumeric Sender IDs (Indonesia, India, the Philippines, Thailand) are arranged
 * with Infobank's sales, not per message.
 */
export const OMNI_SENDER_POLICIES: SenderPolicyTable = {
  countries: {
    '86': { countryCode: '86', country: 'CN', sender: 'AS_ENTERED', signature: { by: 'SENDER' } },
  },
  fallback: { sender: 'AS_ENTERED' },
};
