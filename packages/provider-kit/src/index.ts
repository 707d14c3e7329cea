export * from './channel';
export * from './outbound-message';
export * from './send-outcome';
export * from './delivery-report';
export * from './provider-error';
export * from './plugin';
