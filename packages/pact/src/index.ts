export * from './can-i-deploy';
export * from './consumer';
export * from './examples';
export * from './message-shape';
export * from './pact-files';
export * from './provider';
export * from './revisions';
export * from './verification-record';
