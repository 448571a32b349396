import type { AnyProviderV1, ProviderRegistry } from '../executor/provider-registry.js';
import { type DnsWeightScale, withWeightPercents } from '../providers/dns/dns-weight-scale.js';
import type { ProviderKind } from '../providers/provider-kind.js';
import type { LeafStep } from './compile-plan.js';
import { joinPlanPath } from './plan-path.js';
import type { PlanProblem } from './plan-problem.js';

interface ProviderUse {
  name: string;
  kind: ProviderKind;
  /** Path of the `provider` field. */
  path: string;
  /** The provider the step acts on or observes (not one it only reads a size from). */
  main: boolean;
}

/**
 * Checks one leaf step against the providers it will run on: every provider
 * name is bound, to a provider of the right kind, which declares the
 * capabilities the step needs. Problems are appended to `problems`.
 */
export function checkStepProviders(
  step: LeafStep,
  path: string,
  providers: ProviderRegistry,
  problems: PlanProblem[],
): void {
  let main: AnyProviderV1 | undefined;
  for (const use of providerUses(step, path)) {
    const provider = Object.hasOwn(providers, use.name) ? providers[use.name] : undefined;
    if (provider === undefined || provider === null) {
      const known = Object.keys(providers);
      problems.push({
        path: use.path,
        code: 'missing-provider',
        message: `no provider named "${use.name}" was given (a ${use.kind} provider is needed; known: ${known.length > 0 ? known.join(', ') : 'none'}).`,
      });
      continue;
    }
    const kind = (provider as { kind?: unknown }).kind;
    if (kind !== use.kind) {
      const actual = typeof kind === 'string' ? `a ${kind} provider` : 'not a provider (it has no kind)';
      problems.push({
        path: use.path,
        code: 'wrong-provider-kind',
        message: `provider "${use.name}" is ${actual}, but this step needs a ${use.kind} provider.`,
      });
      continue;
    }
    if (use.main) main = provider;
  }
  if (main) checkCapabilities(step, path, main, problems);
}

/** The providers a step names, with the kind each must be. */
function providerUses(step: LeafStep, path: string): ProviderUse[] {
  if (step.kind === 'check' || step.kind === 'verify') {
    const check = step.check;
    const at = joinPlanPath(joinPlanPath(path, 'check'), 'provider');
    switch (check.type) {
      case 'replication-lag':
      case 'database-writer':
        return [{ name: check.provider, kind: 'database', path: at, main: true }];
      case 'dns-ttl':
      case 'dns-active-target':
        return [{ name: check.provider, kind: 'dns', path: at, main: true }];
      case 'pool-ready':
        return [{ name: check.provider, kind: 'cluster', path: at, main: true }];
      case 'resource':
        return [{ name: check.provider, kind: 'resource', path: at, main: true }];
      default:
        return [];
    }
  }
  if (step.kind !== 'action') return [];
  const action = step.action;
  const actionPath = joinPlanPath(path, 'action');
  const at = joinPlanPath(actionPath, 'provider');
  switch (action.type) {
    case 'dns':
      return [{ name: action.provider, kind: 'dns', path: at, main: true }];
    case 'database':
      return [{ name: action.provider, kind: 'database', path: at, main: true }];
    case 'resource':
      return [{ name: action.provider, kind: 'resource', path: at, main: true }];
    case 'scale': {
      const uses: ProviderUse[] = [{ name: action.provider, kind: 'cluster', path: at, main: true }];
      if (typeof action.desired === 'object') {
        uses.push({
          name: action.desired.percentOf.provider,
          kind: 'cluster',
          path: joinPlanPath(joinPlanPath(joinPlanPath(actionPath, 'desired'), 'percentOf'), 'provider'),
          main: false,
        });
      }
      return uses;
    }
  }
}

function checkCapabilities(
  step: LeafStep,
  path: string,
  provider: AnyProviderV1,
  problems: PlanProblem[],
): void {
  const name = provider.provider ?? 'the provider';
  const lacks = (at: string, capability: string, why: string) =>
    problems.push({
      path: at,
      code: 'missing-capability',
      message: `${why}, but ${name} does not declare the ${capability} capability.`,
    });
  const capabilities = (provider as { capabilities?: unknown }).capabilities;
  const has = (flag: string) =>
    typeof capabilities === 'object' &&
    capabilities !== null &&
    (capabilities as Record<string, unknown>)[flag] === true;
  const list = (field: string): readonly unknown[] => {
    const value =
      typeof capabilities === 'object' && capabilities !== null
        ? (capabilities as Record<string, unknown>)[field]
        : undefined;
    return Array.isArray(value) ? value : [];
  };

  if ((step.kind === 'check' || step.kind === 'verify') && step.check.type === 'replication-lag') {
    if (!has('replicationLag'))
      lacks(
        joinPlanPath(joinPlanPath(path, 'check'), 'type'),
        'replicationLag',
        'this step checks replication lag',
      );
    return;
  }
  if (
    (step.kind === 'check' || step.kind === 'verify') &&
    step.check.type === 'resource' &&
    typeof (provider as { checkResource?: unknown }).checkResource !== 'function'
  ) {
    problems.push({
      path: joinPlanPath(joinPlanPath(path, 'check'), 'type'),
      code: 'missing-capability',
      message: `this step checks a condition on a resource, but ${name} has no checkResource method.`,
    });
    return;
  }
  if (step.kind !== 'action') return;
  const action = step.action;
  const at = (...segments: string[]) => segments.reduce(joinPlanPath, joinPlanPath(path, 'action'));
  switch (action.type) {
    case 'dns': {
      const desired = action.desired;
      if (desired.createIfMissing) {
        if (!has('createRecordSet'))
          lacks(
            at('desired', 'createIfMissing'),
            'createRecordSet',
            'this step creates the record set when it is missing',
          );
        if (!list('routing').includes(desired.createIfMissing.routing))
          lacks(
            at('desired', 'createIfMissing', 'routing'),
            `routing "${desired.createIfMissing.routing}"`,
            `this step creates a record set with ${desired.createIfMissing.routing} routing`,
          );
      }
      if (desired.ttl !== undefined && !has('setTtl'))
        lacks(at('desired', 'ttl'), 'setTtl', 'this step sets the TTL');
      if (desired.weightPercents !== undefined) {
        const scale = (capabilities as { weightScale?: DnsWeightScale } | undefined)?.weightScale;
        if (!scale)
          lacks(at('desired', 'weightPercents'), 'weightScale', 'this step gives weights as percentages');
        else {
          const mapped = withWeightPercents(desired.targets, desired.weightPercents, scale);
          if (mapped.isErr())
            problems.push({
              path: at('desired', ...(mapped.error.path ?? 'weightPercents').split('.')),
              code: 'inexpressible-weight',
              message: `${mapped.error.message} (${name})`,
            });
        }
      }
      for (const [target, patch] of Object.entries(desired.targets ?? {})) {
        if (patch.enabled !== undefined && !has('disableTarget'))
          lacks(
            at('desired', 'targets', target, 'enabled'),
            'disableTarget',
            `this step ${patch.enabled ? 'enables' : 'disables'} target "${target}"`,
          );
      }
      return;
    }
    case 'database':
      if (!list('modes').includes(action.mode))
        lacks(at('mode'), `"${action.mode}" mode`, `this step moves the writer in ${action.mode} mode`);
      return;
    case 'scale':
      for (const bound of ['min', 'max'] as const) {
        if (action[bound] !== undefined && !has('bounds'))
          lacks(at(bound), 'bounds', `this step sets the pool's ${bound} size`);
      }
      return;
  }
}
