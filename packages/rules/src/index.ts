export * from './rule-error';
export * from './limit-profile';
