export {
  type ApprovalDecision,
  type ApprovalRequest,
  type Approver,
  approveSteps,
  denyAll,
} from './approver.js';
export { fetchProbe, type HttpProbe } from './http-probe.js';
export type { Notifier } from './notifier.js';
export type { AnyProviderV1, ProviderRegistry } from './provider-registry.js';
