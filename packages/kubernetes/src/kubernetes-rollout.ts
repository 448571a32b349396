import type { WorkloadState } from './kubernetes-workload-ref.js';

/**
 * Whether a workload's rollout is complete, the test `kubectl rollout status`
 * applies: the controller has observed the latest generation, every desired
 * pod is updated, no old pods remain, and (unless `minReady` lowers the bar)
 * all desired pods are available and ready.
 */
export function rolloutComplete(state: WorkloadState, minReady?: number): boolean {
  if (state.observedGeneration < state.generation) return false;
  const needed = minReady === undefined ? state.replicas : Math.min(minReady, state.replicas);
  if (state.readyReplicas < needed || state.availableReplicas < needed) return false;
  if (minReady !== undefined) return true;
  return state.updatedReplicas >= state.replicas && state.statusReplicas <= state.updatedReplicas;
}
