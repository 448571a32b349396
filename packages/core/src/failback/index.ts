export { stageShares, trafficShares } from './canary-shares.js';
export { type FailoverChanges, failoverChanges } from './failback-changes.js';
export { type FailbackOptions, failbackDefaults, type ReprotectOptions } from './failback-options.js';
export { failbackPlan, type GeneratedFailback } from './failback-plan.js';
