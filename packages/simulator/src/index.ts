export * from './simulator';
export * from './knobs';
export * from './counters';
export * from './seeded-random';
export * from './vendor-context';
export * from './sens';
export * from './omni';
