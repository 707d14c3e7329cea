export * from './rule-error';
export * from './limit-profile';
export * from './count-bytes';
export * from './gsm7';
export * from './grapheme-cluster';
export * from './segment';
export * from './domestic-type';
export * from './phone-number';
