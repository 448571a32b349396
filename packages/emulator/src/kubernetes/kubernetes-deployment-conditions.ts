/** One entry of a Deployment's `status.conditions`, times in epoch ms. */
export interface DeploymentCondition {
  type: 'Available' | 'Progressing';
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

/** The conditions as they were when the change began, and how the change unfolds. */
export interface DeploymentEpisode {
  prior: { available: DeploymentCondition; progressing: DeploymentCondition };
  /** When the controller observed the change (conditions before it are `prior`). */
  observedAt: number;
  replicas: number;
  /** Ready pods when the change was made, and when. */
  readyAtChange: number;
  changedAt: number;
  /** Set for a template change: when the new ReplicaSet's rollout began. */
  rolloutStartedAt?: number;
  podReadyMs: number;
  /** A `stuck` fault: no pod of this change ever becomes ready. */
  stuck: boolean;
  /** The new ReplicaSet's name, as the messages give it. */
  replicaSetName: string;
}

/** `spec.progressDeadlineSeconds` default: 600 s without progress and the controller gives up. */
const progressDeadlineMs = 600_000;

/**
 * The `Available` and `Progressing` conditions as the deployment controller
 * leaves them at `now` (kubernetes pkg/controller/deployment): Available while
 * ready pods ≥ replicas - maxUnavailable (25 %, rounded down); Progressing
 * `NewReplicaSetCreated` on a template change, `ReplicaSetUpdated` on each
 * progress (only `lastUpdateTime` moves), `NewReplicaSetAvailable` when
 * complete, `ProgressDeadlineExceeded` (status False) after 600 s without
 * progress. A condition whose status and reason stay keeps its times.
 */
export function deploymentConditions(episode: DeploymentEpisode, now: number): DeploymentCondition[] {
  const { prior } = episode;
  if (now < episode.observedAt) return [prior.available, prior.progressing];
  return [available(episode, now), progressing(episode, now)];
}

/** Times at which a pod of this change became (or will become) ready. */
function podReadyTimes(episode: DeploymentEpisode): number[] {
  if (episode.stuck) return [];
  const start = episode.rolloutStartedAt ?? episode.changedAt;
  const pods =
    episode.rolloutStartedAt !== undefined
      ? episode.replicas
      : Math.max(0, episode.replicas - episode.readyAtChange);
  return Array.from({ length: pods }, (_, k) =>
    Math.max(episode.observedAt, start + (k + 1) * episode.podReadyMs),
  );
}

function readyAt(episode: DeploymentEpisode, at: number): number {
  if (episode.rolloutStartedAt !== undefined || episode.readyAtChange >= episode.replicas)
    return Math.min(episode.replicas, episode.readyAtChange);
  if (episode.stuck) return episode.readyAtChange;
  const grown = Math.floor((at - episode.changedAt) / episode.podReadyMs);
  return Math.min(episode.replicas, episode.readyAtChange + Math.max(0, grown));
}

function available(episode: DeploymentEpisode, now: number): DeploymentCondition {
  const minimum = episode.replicas - Math.floor(episode.replicas / 4);
  const statusAt = (at: number) => (readyAt(episode, at) >= minimum ? 'True' : 'False');
  const atObserve = statusAt(episode.observedAt);
  const current = statusAt(now);
  let transition: number;
  if (current === atObserve) {
    if (current === episode.prior.available.status) return episode.prior.available;
    transition = episode.observedAt;
  } else {
    // Only a scale-up turns it back on: when the ready pods reach the minimum.
    transition = Math.max(
      episode.observedAt,
      episode.changedAt + (minimum - episode.readyAtChange) * episode.podReadyMs,
    );
  }
  return {
    type: 'Available',
    status: current,
    reason: current === 'True' ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
    message:
      current === 'True'
        ? 'Deployment has minimum availability.'
        : 'Deployment does not have minimum availability.',
    lastUpdateTime: transition,
    lastTransitionTime: transition,
  };
}

function progressing(episode: DeploymentEpisode, now: number): DeploymentCondition {
  const { prior, replicaSetName } = episode;
  const readyTimes = podReadyTimes(episode);
  const needed =
    episode.rolloutStartedAt !== undefined
      ? episode.replicas
      : Math.max(0, episode.replicas - episode.readyAtChange);
  const complete = !episode.stuck && readyTimes.every((t) => t <= now);
  const keptTransition = (at: number) =>
    prior.progressing.status === 'True' ? prior.progressing.lastTransitionTime : at;
  if (complete) {
    // A change with nothing to wait for (a scale-down) leaves a finished rollout's condition as it was.
    if (needed === 0 && prior.progressing.reason === 'NewReplicaSetAvailable') return prior.progressing;
    const done = readyTimes.length > 0 ? Math.max(...readyTimes) : episode.observedAt;
    return {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${replicaSetName}" has successfully progressed.`,
      lastUpdateTime: done,
      lastTransitionTime: keptTransition(done),
    };
  }
  const lastProgress = Math.max(episode.observedAt, ...readyTimes.filter((t) => t <= now));
  if (now - lastProgress > progressDeadlineMs) {
    const timedOut = lastProgress + progressDeadlineMs;
    return {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${replicaSetName}" has timed out progressing.`,
      lastUpdateTime: timedOut,
      lastTransitionTime: timedOut,
    };
  }
  if (episode.rolloutStartedAt !== undefined && lastProgress === episode.observedAt) {
    return {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${replicaSetName}"`,
      lastUpdateTime: episode.observedAt,
      lastTransitionTime: keptTransition(episode.observedAt),
    };
  }
  return {
    type: 'Progressing',
    status: 'True',
    reason: 'ReplicaSetUpdated',
    message: `ReplicaSet "${replicaSetName}" is progressing.`,
    lastUpdateTime: lastProgress,
    lastTransitionTime: keptTransition(lastProgress),
  };
}

/** A condition as the API serves it: times in RFC 3339 to the second, as `metav1.Time` is. */
export function conditionResource(condition: DeploymentCondition): Record<string, string> {
  const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    type: condition.type,
    status: condition.status,
    lastUpdateTime: time(condition.lastUpdateTime),
    lastTransitionTime: time(condition.lastTransitionTime),
    reason: condition.reason,
    message: condition.message,
  };
}
