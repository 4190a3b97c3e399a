export { limitsPlugin } from './plugin';
export { clientKey, rateLimiter, type ClientKey } from './rate-limit';
export { limitRules, type OperationLimits } from './rules';
export { limitSettings, limitVariables, type LimitSettings } from './settings';
