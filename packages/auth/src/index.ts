export * from './config';
export * from './mint';
export * from './verify';
export { requireAdmin, type Viewer } from './viewer';
