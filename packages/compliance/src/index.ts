export * from './compliance-error';
export * from './opt-out-service';
export * from './block-list';
export * from './calling-number';
