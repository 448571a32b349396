import type { CheckState } from './check-state.js';
import type { RuleCondition } from './decision-policy.js';

/** The failed checks that make `condition` hold, or undefined when it does not. Pure. */
export function matchRule(
  condition: RuleCondition,
  states: readonly CheckState[],
  now: number,
): CheckState[] | undefined {
  const failed = states.filter((state) => state.status === 'failed');
  switch (condition.type) {
    case 'all-failed': {
      const ofClass = states.filter((state) => state.class === condition.class);
      if (ofClass.length === 0) return undefined;
      return ofClass.every((state) => state.status === 'failed') ? ofClass : undefined;
    }
    case 'failed-count': {
      const matching = failed.filter((state) => state.class === condition.class);
      const inRange =
        matching.length >= condition.min && (condition.max === undefined || matching.length <= condition.max);
      return inRange ? matching : undefined;
    }
    case 'check-failed': {
      const named = states.filter(
        (state) =>
          (condition.check === undefined || state.name === condition.check) &&
          (condition.role === undefined || state.role === condition.role),
      );
      if (named.length === 0) return undefined;
      const holds = named.every(
        (state) =>
          state.status === 'failed' &&
          state.consecutiveFailures >= (condition.minConsecutive ?? 1) &&
          state.failingSince !== undefined &&
          now - state.failingSince >= (condition.forMs ?? 0) &&
          (condition.valueAbove === undefined ||
            (state.lastRound?.value !== undefined && state.lastRound.value > condition.valueAbove)),
      );
      return holds ? named : undefined;
    }
    case 'any-failed': {
      const classes = condition.classes;
      const matching = failed.filter((state) => classes === undefined || classes.includes(state.class));
      return matching.length > 0 ? matching : undefined;
    }
  }
}
