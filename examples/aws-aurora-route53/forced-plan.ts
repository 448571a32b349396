// The forced variant of plan.ts as a module of its own, for the CLI (which loads default
// exports): `failover drill examples/aws-aurora-route53/forced-plan.ts --providers
// examples/aws-aurora-route53/providers.ts --approve approve-data-loss`.
export { forcedPlan as default } from './plan.js';
