import {
  type EnsureResult,
  err,
  type FailoverError,
  ok,
  type ResourceJson,
  type ResourceProviderV1,
  type Result,
  resourceDifferences,
} from '@failover/core';
import { type CallContext, kernelWait, type SimulatorKernel } from './simulator-kernel.js';
import {
  conditionProblem,
  evaluateCondition,
  type SimulatedResourceCondition,
} from './simulator-resource-condition.js';
import { handleId, invalidInput, isObject, waitTimeout } from './simulator-validate.js';

/** A resource of the open kind: any JSON state, named by a JSON ref. */
export interface SimulatedResourceSeed {
  /** What steps name it by, e.g. `{ namespace: 'shop', deployment: 'api' }` (key order does not matter). */
  ref: ResourceJson;
  /** Its state as observed, e.g. `{ replicas: 2 }`. */
  state: ResourceJson;
  /** Its region: while it is dark, every call on the resource fails `unavailable`. */
  region?: string;
  /**
   * Dot paths `ensureResource` refuses to change, with `precondition-failed` (an immutable
   * field, a value only an operator may set); `precheckResource` refuses them first.
   */
  immutable?: string[];
}

/** Test-side view of one simulated resource (`world.resource(ref)`). Not a recorded call. */
export interface SimulatedResourceControl {
  /** The state a client would observe now. */
  state(): ResourceJson;
  /** Changes the state outside any provider (a new backup landed, someone edited it). */
  set(state: ResourceJson): void;
}

/** Options of `world.resourceProvider()`. */
export interface SimulatedResourceProviderOptions {
  /** The region of the endpoint this client talks to: while it is dark every call fails `unavailable`. */
  region?: string;
}

interface Resource {
  ref: ResourceJson;
  state: ResourceJson;
  region?: string;
  immutable: string[];
  /** The update in flight: the state is already the new one; the operation finishes at `completesAt`. */
  operationId?: string;
}

export interface ResourceState {
  add(seed: SimulatedResourceSeed): void;
  control(ref: ResourceJson): SimulatedResourceControl;
  all(): Record<string, ResourceJson>;
  createProvider(name: string, options: SimulatedResourceProviderOptions): ResourceProviderV1;
}

/** A ref as a map key: JSON with sorted keys, so `{ a, b }` and `{ b, a }` are one resource. */
export function resourceKey(ref: unknown): string {
  return JSON.stringify(ref, (_key, value) =>
    isObject(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

export function createResourceState(kernel: SimulatorKernel): ResourceState {
  const resources = new Map<string, Resource>();

  const running = (resource: Resource) => {
    const operation = resource.operationId ? kernel.operations.get(resource.operationId) : undefined;
    if (!operation) return undefined;
    const done = operation.completesAt !== undefined && kernel.time.now() >= operation.completesAt;
    return done ? undefined : operation;
  };

  const find = (ref: unknown, ctx: CallContext): Result<Resource, FailoverError> => {
    if (!isObject(ref)) {
      return err(invalidInput(ctx.provider, ctx.operation, 'A resource ref must be an object.', 'ref'));
    }
    const resource = resources.get(resourceKey(ref));
    if (!resource) return err(ctx.error('not-found', `No resource ${resourceKey(ref)}.`));
    if (kernel.regions.isDark(resource.region)) return err(ctx.dark(resource.region!));
    return ok(resource);
  };

  /** The refusal of making `observed` into `desired`, shared by ensure and its pre-check. */
  const refusal = (
    resource: Resource,
    desired: unknown,
    observed: unknown,
    ctx: CallContext,
  ): FailoverError | undefined => {
    if (!isObject(desired) || !isPlainJson(desired)) {
      return invalidInput(
        ctx.provider,
        ctx.operation,
        'The desired state must be a plain JSON object.',
        'desired',
      );
    }
    for (const difference of resourceDifferences(desired, observed)) {
      const frozen = resource.immutable.find(
        (path) => difference.path === path || difference.path.startsWith(`${path}.`),
      );
      if (frozen) {
        return ctx.error(
          'precondition-failed',
          `${frozen} of ${resourceKey(resource.ref)} cannot be changed.`,
          {
            path: `desired.${difference.path}`,
          },
        );
      }
    }
    return undefined;
  };

  const createProvider = (name: string, options: SimulatedResourceProviderOptions): ResourceProviderV1 => {
    const call = kernel.caller<
      'observeResource' | 'ensureResource' | 'waitForResource' | 'precheckResource' | 'checkResource'
    >(name, options.region);

    return {
      specificationVersion: 'v1',
      kind: 'resource',
      provider: name,

      observeResource(ref, callOptions) {
        return call('observeResource', [ref], callOptions, (ctx) => {
          ctx.read('GetResource');
          return find(ref, ctx).map((resource) => structuredClone(resource.state));
        });
      },

      ensureResource(ref, desired, callOptions) {
        return call('ensureResource', [ref, desired], callOptions, (ctx) => {
          if (!isObject(desired)) {
            return err(
              invalidInput(name, 'ensureResource', 'The desired state must be an object.', 'desired'),
            );
          }
          ctx.read('GetResource');
          const found = find(ref, ctx);
          if (found.isErr()) return err(found.error);
          const resource = found.value;
          const before = structuredClone(resource.state);
          const refused = refusal(resource, desired, before, ctx);
          if (refused) return err(refused);
          if (resourceDifferences(desired, before).length === 0) {
            // Already asked for: an update still running is handed back so the caller waits on it.
            const inFlight = running(resource);
            return ok<EnsureResult<ResourceJson>>(
              inFlight ? { before, changed: true, handle: inFlight.handle } : { before, changed: false },
            );
          }
          ctx.mutate('UpdateResource');
          // A newer update supersedes a running one.
          resource.state = merged(resource.state, desired);
          const operation = kernel.startOperation({
            type: 'resource-update',
            prefix: 'resource-update',
            resource: resourceKey(resource.ref),
            provider: name,
            apiOperation: 'UpdateResource',
            durationMs: kernel.draw(kernel.durations.resourceUpdate),
            stuck: ctx.stuck,
            detail: { ref: structuredClone(resource.ref) },
          });
          resource.operationId = operation.id;
          return ok<EnsureResult<ResourceJson>>({ before, changed: true, handle: operation.handle });
        });
      },

      precheckResource(ref, desired, observed, callOptions) {
        return call('precheckResource', [ref, desired], callOptions, (ctx) => {
          const found = find(ref, ctx);
          if (found.isErr()) return err(found.error);
          const refused = refusal(found.value, desired, observed, ctx);
          return refused ? err(refused) : ok(undefined);
        });
      },

      waitForResource(handle, waitOptions) {
        return call('waitForResource', [handle, waitOptions], waitOptions, (ctx) => {
          const id = handleId(name, 'waitForResource', handle);
          if (typeof id !== 'string') return err(id);
          const timeoutMs = waitTimeout(name, 'waitForResource', waitOptions);
          if (typeof timeoutMs !== 'number') return err(timeoutMs);
          const until = waitOptions.until;
          const problem = until === undefined ? undefined : conditionProblem(until);
          if (problem) return err(invalidInput(name, 'waitForResource', problem, 'until'));
          const operation = kernel.operations.get(id);
          if (operation?.type !== 'resource-update') {
            return err(ctx.error('not-found', `No resource operation ${id}.`, { retryable: true }));
          }
          const resource = resources.get(operation.resource);
          if (!resource) return err(ctx.error('not-found', `No resource ${operation.resource}.`));
          return kernelWait<ResourceJson>(kernel, ctx, timeoutMs, waitOptions, async () => {
            ctx.read('GetResource');
            if (kernel.regions.isDark(resource.region)) return err(ctx.dark(resource.region!));
            const now = kernel.time.now();
            const finished = operation.completesAt !== undefined && now >= operation.completesAt;
            const holds =
              until === undefined ||
              evaluateCondition(resource.state, until as unknown as SimulatedResourceCondition, now).passed;
            return ok(
              finished && holds
                ? { done: true as const, value: structuredClone(resource.state) }
                : { done: false as const, status: finished ? 'waiting for the until condition' : 'updating' },
            );
          });
        });
      },

      checkResource(ref, condition, checkOptions) {
        return call('checkResource', [ref, condition], checkOptions, (ctx) => {
          const problem = conditionProblem(condition);
          if (problem) return err(invalidInput(name, 'checkResource', problem, 'condition'));
          ctx.read('GetResource');
          return find(ref, ctx).map((resource) =>
            evaluateCondition(
              resource.state,
              condition as unknown as SimulatedResourceCondition,
              kernel.time.now(),
              checkOptions?.rpoMs,
            ),
          );
        });
      },
    };
  };

  return {
    add(seed) {
      if (!isObject(seed.ref) || !isObject(seed.state) || !isPlainJson(seed.state)) {
        throw new RangeError('A resource seed needs a ref and a state, both plain JSON objects.');
      }
      kernel.regions.know(seed.region);
      resources.set(resourceKey(seed.ref), {
        ref: structuredClone(seed.ref),
        state: structuredClone(seed.state),
        ...(seed.region !== undefined && { region: seed.region }),
        immutable: [...(seed.immutable ?? [])],
      });
    },
    control(ref) {
      const resource = resources.get(resourceKey(ref));
      if (!resource) throw new RangeError(`No resource ${resourceKey(ref)} in this world.`);
      return {
        state: () => structuredClone(resource.state),
        set: (state) => {
          resource.state = structuredClone(state);
        },
      };
    },
    all() {
      const out: Record<string, ResourceJson> = {};
      for (const [key, resource] of resources) out[key] = structuredClone(resource.state);
      return out;
    },
    createProvider,
  };
}

/** `state` with `desired` laid over it: objects field by field, anything else replaced. */
function merged(state: ResourceJson, desired: ResourceJson): ResourceJson {
  const out: ResourceJson = structuredClone(state);
  for (const [field, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    const current = out[field];
    out[field] = isObject(value) && isObject(current) ? merged(current, value) : structuredClone(value);
  }
  return out;
}

/** Survives JSON unchanged: no `undefined`, functions, `NaN`, dates or class instances. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isPlainJson(item, depth + 1));
}
