import type { EmulatorService, RouteMatch } from '../server/emulator-types.js';
import { googleError } from './gcp-error.js';
import { isResponse } from './gcp-request.js';

/**
 * Mutations the service applies but whose answer the client never gets: the call
 * takes effect and the client sees a 500, as when a response is lost on the way.
 * A stopgap on the Google services until the general fault injector has this kind.
 */
export interface GcpLostAnswers {
  /** The next `times` successful calls of `operation` (e.g. `instances.switchover`) apply, then answer 500. */
  lose(operation: string, times?: number): void;
  clear(): void;
}

const registry = new WeakMap<EmulatorService, GcpLostAnswers>();

/** Wraps a Google service so some of its applied mutations answer 500. */
export function withLostAnswers(
  service: EmulatorService,
  answers: GcpLostAnswers & Counter,
): EmulatorService {
  const wrapped: EmulatorService = {
    ...service,
    route(request) {
      const routed = service.route(request);
      if (isResponse(routed) || !(routed as RouteMatch).mutating) return routed;
      const match = routed as RouteMatch;
      return {
        ...match,
        async handle(call) {
          const response = await match.handle(call);
          if (response.status >= 300 || !answers.take(match.operation)) return response;
          return googleError(500, 'Internal error encountered.', { reason: 'backendError' });
        },
      };
    },
  };
  registry.set(wrapped, answers);
  return wrapped;
}

interface Counter {
  take(operation: string): boolean;
}

export function createLostAnswers(): GcpLostAnswers & Counter {
  const remaining = new Map<string, number>();
  return {
    lose(operation, times = 1) {
      remaining.set(operation, (remaining.get(operation) ?? 0) + times);
    },
    clear() {
      remaining.clear();
    },
    take(operation) {
      const left = remaining.get(operation) ?? 0;
      if (left <= 0) return false;
      remaining.set(operation, left - 1);
      return true;
    },
  };
}

/**
 * The lost-answer control of a running emulator's Google services (shared by all of
 * them). Throws when the emulator serves no Google service.
 */
export function gcpLostAnswers(emulator: { services: readonly EmulatorService[] }): GcpLostAnswers {
  for (const service of emulator.services) {
    const answers = registry.get(service);
    if (answers) return { lose: (op, times) => answers.lose(op, times), clear: () => answers.clear() };
  }
  throw new Error('This emulator serves no Google Cloud service.');
}
