export * from './consumer';
export * from './message-shape';
export * from './pact-files';
export * from './provider';
