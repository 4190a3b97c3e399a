export * from './decider-scenario';
export * from './memory-event-store';
export * from './foreign-streams';
export * from './order-owners';
export * from './captured-log';
