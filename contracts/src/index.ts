export * from './catalog';
export * from './codec';
export * from './envelope';
export * from './errors';
export * from './primitives';
export * from './subjects';
export * from './events/inventory';
export * from './events/order';
