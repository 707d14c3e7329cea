export * from './compliance-error';
export * from './opt-out-service';
