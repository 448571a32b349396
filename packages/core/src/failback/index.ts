export { trafficShares } from '../providers/dns/dns-traffic-shares.js';
export { stageShares } from './canary-shares.js';
export { type FailoverChanges, failoverChanges } from './failback-changes.js';
export { type FailbackOptions, failbackDefaults, type ReprotectOptions } from './failback-options.js';
export { failbackPlan, type GeneratedFailback } from './failback-plan.js';
