import { describe, expect, it } from '@jest/globals';
import { senderPoliciesOf, senderPolicyProblems, type OutboundMessage } from '@munja/provider-kit';
import omniPlugin from './index';
import { OMNI_PROFILE } from './limit-profile';
import { planRequest } from './message-request';
import { OMNI_SENDER_POLICIES } from './sender-policy';

describe("OMNI's sender policy (seed 004)", () => {
  it('is what the plugin definition declares, and well-formed', () => {
    expect(senderPoliciesOf(omniPlugin)).toBe(OMNI_SENDER_POLICIES);
    expect(senderPolicyProblems(OMNI_SENDER_POLICIES)).toEqual([]);
  });

  it("China: the sender's own signature first; OMNI inserts none of its own anywhere", () => {
    expect(OMNI_SENDER_POLICIES.countries['86']?.signature).toEqual({ by: 'SENDER' });
    const vendorSigned = Object.values(OMNI_SENDER_POLICIES.countries).filter(
      (p) => p.signature?.by === 'VENDOR',
    );
    expect(vendorSigned).toEqual([]);
    expect(OMNI_SENDER_POLICIES.fallback).toEqual({ sender: 'AS_ENTERED' });
  });

  it('a signed text to +86 goes on the wire exactly as planned', () => {
    const message: OutboundMessage = {
      ref: 'r1',
      channel: 'INTL',
      contentType: 'COMM',
      from: '0310000000',
      to: '13800138000',
      countryCode: '86',
      content: '【BB商店】您的验证码是 1234',
    };
    const planned = planRequest(message, OMNI_PROFILE);
    expect(planned).toMatchObject({
      ok: true,
      request: { body: { to: '+8613800138000', text: '【BB商店】您的验证码是 1234' } },
    });
  });
});
