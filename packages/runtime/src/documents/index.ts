export * from './document-store';
export { InvalidChange } from './changes';
export * from './mongo-store';
export * from './open-store';
export * from './sqlite-store';
