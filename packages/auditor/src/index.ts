export { audit, type AuditOptions, type Report } from './invariants';
export type { Deadlines } from './lifecycle';
export { eventStreams, readLog, type EventLog } from './read-log';
export { auditOptionsOf, auditorConfig } from './config';
export { formatReport } from './report';
export { invariantNames, type InvariantName, type Violation } from './violation';
export { readOrder, type OrderLog } from './story/read-order';
export { tellStory, type Story, type StoryStep } from './story/tell-story';
export { formatStory } from './story/format-story';
