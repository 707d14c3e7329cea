export * from './channel';
export * from './outbound-message';
export * from './send-outcome';
export * from './delivery-report';
export * from './provider-error';
export * from './plugin';
export * from './sender-policy-check';
// the conformance harness's types only; the suite itself (it imports @jest/globals) is at @munja/provider-kit/conformance
export type * from './conformance/harness';
