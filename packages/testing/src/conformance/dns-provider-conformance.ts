import {
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  type DnsRouting,
  type DnsTarget,
  diffDnsRecordSet,
  type EnsureResult,
  err,
  FailoverError,
  resolveDnsDesiredState,
} from '@failover/core';
import { describe, expect } from 'vitest';
import {
  call,
  conformanceCase,
  expectErr,
  expectOk,
  expectSomeErr,
  journalled,
  mutationCount,
  probe,
  registerSharedCases,
  resolveTimeouts,
  waitOptions,
} from './conformance-harness.js';
import type { ConformanceOptions, ConformanceSetup } from './conformance-options.js';
import { type RefusalCase, registerSafetyCases } from './conformance-safety-cases.js';

/** The methods of `DnsProviderV1`, as the fault hooks name them. */
export type DnsProviderOperation = 'getRecordSet' | 'ensureRecordSet' | 'waitForChange';

/** Seeded state the DNS cases use. Every setup must seed it afresh. */
export interface DnsConformanceFixture {
  /**
   * A failover record set with exactly two targets: the active one (priority 1) and a standby
   * (priority 2). `seeded` is what was seeded; the kit compares with `diffDnsRecordSet`, so
   * observed-only fields (`health`) do not matter. The main change makes the standby active.
   */
  failover: { ref: DnsRecordRef; seeded: DnsRecordSet };
  /** A weighted record set with at least two targets. Without it the weighted case is skipped visibly. */
  weighted?: { ref: DnsRecordRef; seeded: DnsRecordSet };
  /** A record set that does not exist, in a zone that does. The create case creates it. */
  missing: DnsRecordRef;
  /**
   * More desired states of the failover record set that this backend's `ensureRecordSet`
   * refuses (e.g. a Route 53 fence of a target without a health check, a Traffic Manager
   * weight of 0). The kit checks `precheckRecordSet` refuses each one first, with the same kind.
   */
  refusals?: RefusalCase<DnsRecordSet>[];
}

export type DnsConformanceOptions = ConformanceOptions<
  DnsProviderV1,
  DnsConformanceFixture,
  DnsProviderOperation
>;
type Setup = ConformanceSetup<DnsProviderV1, DnsConformanceFixture, DnsProviderOperation>;

/**
 * Registers the `DnsProviderV1` conformance suite (a vitest `describe`).
 *
 * @example
 * ```ts
 * import { runDnsProviderConformance } from '@failover/testing/conformance';
 *
 * runDnsProviderConformance({
 *   name: 'cloudflare',
 *   async setup() {
 *     const backend = await startFakeCloudflare();          // your seeded backend
 *     return {
 *       provider: createCloudflareDnsProvider({ baseUrl: backend.url, time: backend.time }),
 *       fixture: { failover: { ref, seeded }, missing: { zone: 'example.com.', name: 'nope.example.com.', type: 'A' } },
 *       faults: { throttle: (operation, o) => backend.throttleNext(operation, o), stuck: (op) => backend.stickNext(op) },
 *       mutatingCalls: () => backend.requests.filter((r) => r.method !== 'GET').length,
 *       time: backend.time,
 *       teardown: () => backend.close(),
 *     };
 *   },
 * });
 * ```
 */
export function runDnsProviderConformance(options: DnsConformanceOptions): void {
  describe(`DnsProviderV1 conformance${options.name ? `: ${options.name}` : ''}`, async () => {
    const found = await probe(options);
    const fixture = found.fixture as DnsConformanceFixture;
    const capabilities = found.provider.capabilities;
    const timeouts = resolveTimeouts(options.timeouts);
    const lacks = (routing: DnsRouting) =>
      !capabilities.routing.includes(routing) && `capabilities.routing has no '${routing}'`;

    const activate = async (setup: Setup, current: DnsRecordSet) => {
      const standby = standbyOf(setup.fixture.failover.seeded);
      return resolveDnsDesiredState(current, { activeTarget: standby.id });
    };

    registerSharedCases<DnsProviderV1, DnsConformanceFixture, DnsProviderOperation, DnsRecordSet>({
      options,
      probe: found,
      kind: 'dns',
      changeSkip: lacks('failover'),
      subject: {
        operations: { observe: 'getRecordSet', ensure: 'ensureRecordSet', wait: 'waitForChange' },
        observe: (setup, opts) => setup.provider.getRecordSet(setup.fixture.failover.ref, opts),
        async change(setup, opts) {
          const current = await call(setup.provider, 'getRecordSet', () =>
            setup.provider.getRecordSet(setup.fixture.failover.ref),
          );
          if (current.isErr()) return err(current.error);
          const desired = await activate(setup, current.value);
          if (desired.isErr()) return err(desired.error);
          return setup.provider
            .ensureRecordSet(setup.fixture.failover.ref, desired.value, opts)
            .map((ensured): EnsureResult<unknown> => ensured);
        },
        wait: (setup, handle, opts) =>
          setup.provider.waitForChange(handle, opts).map((): unknown => undefined),
        expectSeeded: (setup, observed) => expectSameRecordSet(observed, setup.fixture.failover.seeded),
        expectChanged(setup, observed) {
          const standby = standbyOf(setup.fixture.failover.seeded);
          const active = observed.targets.find((target) => target.priority === 1);
          expect(active?.id, 'the standby target is now priority 1').toBe(standby.id);
        },
      },
    });

    const mainDesired = (observed: unknown, f: DnsConformanceFixture): DnsRecordSet => {
      const desired = resolveDnsDesiredState(observed as DnsRecordSet, {
        activeTarget: standbyOf(f.failover.seeded).id,
      });
      if (desired.isErr()) throw desired.error;
      return desired.value;
    };
    registerSafetyCases<DnsProviderV1, DnsConformanceFixture, DnsProviderOperation, DnsRecordSet>({
      options,
      probe: found,
      changeSkip: lacks('failover'),
      subject: {
        operations: { observe: 'getRecordSet', ensure: 'ensureRecordSet', wait: 'waitForChange' },
        precheckName: 'precheckRecordSet',
        observe: (setup, opts) =>
          setup.provider.getRecordSet(setup.fixture.failover.ref, opts).map((set): unknown => set),
        ensure: (setup, desired, opts) =>
          setup.provider
            .ensureRecordSet(setup.fixture.failover.ref, desired, opts)
            .map((ensured): EnsureResult<unknown> => ensured),
        precheck: found.provider.precheckRecordSet
          ? (setup, desired, observed) =>
              setup.provider.precheckRecordSet!(setup.fixture.failover.ref, desired, observed as DnsRecordSet)
          : undefined,
        wait: (setup, handle, opts) =>
          setup.provider.waitForChange(handle, opts).map((): unknown => undefined),
        mainDesired,
        expectChanged(setup, observed) {
          const standby = standbyOf(setup.fixture.failover.seeded);
          const active = (observed as DnsRecordSet).targets.find((target) => target.priority === 1);
          expect(active?.id, 'the standby target is now priority 1').toBe(standby.id);
        },
        step: (f) => ({
          type: 'dns',
          provider: 'subject',
          record: f.failover.ref,
          desired: { activeTarget: standbyOf(f.failover.seeded).id },
        }),
        refusals: [
          {
            title: 'a negative TTL',
            kind: 'invalid-input',
            desired: (observed) => ({ ...(observed as DnsRecordSet), ttl: -1 }),
          },
          {
            title: 'duplicate target ids',
            kind: 'invalid-input',
            desired: (observed) => {
              const current = observed as DnsRecordSet;
              return { ...current, targets: [current.targets[0]!, { ...current.targets[0]! }] };
            },
          },
          ...(fixture.refusals ?? []),
        ],
      },
    });

    const observe = async (setup: Setup, ref: DnsRecordRef) =>
      expectOk(
        await call(setup.provider, 'getRecordSet', () => setup.provider.getRecordSet(ref)),
        'getRecordSet',
      );
    const ensure = async (setup: Setup, ref: DnsRecordRef, desired: DnsRecordSet) =>
      call(setup.provider, 'ensureRecordSet', () => setup.provider.ensureRecordSet(ref, desired));
    const applyAndWait = async (setup: Setup, ref: DnsRecordRef, desired: DnsRecordSet) => {
      const ensured = expectOk(await ensure(setup, ref, desired), 'ensureRecordSet');
      expect(ensured.changed, 'changed').toBe(true);
      await setup.finishOperations?.();
      const handle = journalled(ensured.handle, setup.provider);
      expectOk(
        await call(setup.provider, 'waitForChange', () =>
          setup.provider.waitForChange(handle, waitOptions(timeouts)),
        ),
        'waitForChange',
      );
      return ensured;
    };

    conformanceCase(options, 'capabilities are well-formed', false, async (setup) => {
      const caps = setup.provider.capabilities;
      expect(Array.isArray(caps.routing) && caps.routing.length > 0, 'routing lists at least one kind').toBe(
        true,
      );
      for (const routing of caps.routing) {
        expect(['simple', 'weighted', 'failover', 'priority', 'geo']).toContain(routing);
      }
      for (const flag of ['disableTarget', 'createRecordSet', 'setTtl'] as const) {
        expect(typeof caps[flag], `capabilities.${flag}`).toBe('boolean');
      }
    });

    conformanceCase(
      options,
      'the fixture is usable (two failover targets, priorities 1 and 2)',
      false,
      async (setup) => {
        const seeded = setup.fixture.failover.seeded;
        expect(seeded.routing).toBe('failover');
        expect(seeded.targets.map((t) => t.priority).sort()).toEqual([1, 2]);
      },
    );

    conformanceCase(
      options,
      'getRecordSet returns the seeded weighted record set',
      !fixture.weighted ? 'the fixture has no weighted record set' : lacks('weighted'),
      async (setup) => {
        const weighted = setup.fixture.weighted!;
        expectSameRecordSet(await observe(setup, weighted.ref), weighted.seeded);
      },
    );

    conformanceCase(options, 'a missing record set is not-found', false, async (setup) => {
      const result = await call(setup.provider, 'getRecordSet', () =>
        setup.provider.getRecordSet(setup.fixture.missing),
      );
      expectErr(result, 'not-found', 'getRecordSet of a missing record set');
    });

    conformanceCase(
      options,
      'shifting weights applies exactly and is observable after waitForChange',
      !fixture.weighted ? 'the fixture has no weighted record set' : lacks('weighted'),
      async (setup) => {
        const weighted = setup.fixture.weighted!;
        const current = await observe(setup, weighted.ref);
        const [first, second] = current.targets;
        const desired = expectOk(
          resolveDnsDesiredState(current, {
            targets: {
              [first!.id]: { weight: first!.weight === 10 ? 20 : 10 },
              [second!.id]: { weight: 90 },
            },
          }),
          'resolveDnsDesiredState',
        );
        await applyAndWait(setup, weighted.ref, desired);
        expectSameRecordSet(await observe(setup, weighted.ref), desired);
      },
    );

    conformanceCase(
      options,
      'changing the TTL applies and is observable',
      !capabilities.setTtl ? 'capabilities.setTtl is false' : lacks('failover'),
      async (setup) => {
        const ref = setup.fixture.failover.ref;
        const current = await observe(setup, ref);
        const desired = { ...current, ttl: current.ttl === 30 ? 45 : 30 };
        await applyAndWait(setup, ref, desired);
        expect((await observe(setup, ref)).ttl).toBe(desired.ttl);
      },
    );

    conformanceCase(
      options,
      'taking a target out of rotation (enabled: false) applies and is observable',
      !capabilities.disableTarget ? 'capabilities.disableTarget is false' : lacks('failover'),
      async (setup) => {
        const ref = setup.fixture.failover.ref;
        const standby = standbyOf(setup.fixture.failover.seeded);
        const current = await observe(setup, ref);
        const desired = expectOk(
          resolveDnsDesiredState(current, { targets: { [standby.id]: { enabled: false } } }),
          'resolveDnsDesiredState',
        );
        await applyAndWait(setup, ref, desired);
        const after = await observe(setup, ref);
        expect(after.targets.find((t) => t.id === standby.id)?.enabled).toBe(false);
      },
    );

    conformanceCase(
      options,
      'a missing record set is created (before: null), and creating it again changes nothing',
      !capabilities.createRecordSet ? 'capabilities.createRecordSet is false' : lacks('failover'),
      async (setup) => {
        const { missing, failover } = setup.fixture;
        const current = await observe(setup, failover.ref);
        const desired = expectOk(
          resolveDnsDesiredState(null, {
            createIfMissing: {
              type: missing.type ?? current.type,
              routing: current.routing,
              ttl: current.ttl,
              targets: current.targets.map(withoutHealth),
            },
          }),
          'resolveDnsDesiredState',
        );
        const named = { ...desired, name: missing.name };
        const created = await applyAndWait(setup, missing, named);
        expect(created.before, 'before is null for a created record set').toBeNull();
        expectSameRecordSet(await observe(setup, missing), named);
        const again = expectOk(await ensure(setup, missing, named), 'ensureRecordSet (again)');
        expect(again.changed).toBe(false);
      },
    );

    conformanceCase(
      options,
      'batching.observeRecordSets answers each ref as getRecordSet does, not-found included, and changes nothing',
      typeof found.provider.batching?.observeRecordSets !== 'function' &&
        'the provider offers no batching.observeRecordSets',
      async (setup) => {
        const { failover, weighted, missing } = setup.fixture;
        const refs = [failover.ref, ...(weighted ? [weighted.ref] : []), missing, failover.ref];
        const before = await mutationCount(setup);
        const observed = expectOk(
          await call(setup.provider, 'observeRecordSets', () =>
            setup.provider.batching!.observeRecordSets!(refs),
          ),
          'observeRecordSets',
        );
        expect(observed, 'one observation per ref, in order').toHaveLength(refs.length);
        for (const [index, ref] of refs.entries()) {
          const observation = observed[index]!;
          if (ref === missing) {
            expect(observation.ok ? 'ok' : observation.error.kind, 'the missing ref').toBe('not-found');
            continue;
          }
          expect(observation.ok, `ref ${index} (${ref.name})`).toBe(true);
          if (observation.ok) expectSameRecordSet(observation.recordSet, await observe(setup, ref));
        }
        expect(await mutationCount(setup)).toBe(before);
      },
    );

    conformanceCase(
      options,
      'invalid desired state is invalid-input and changes nothing',
      lacks('failover'),
      async (setup) => {
        const { ref, seeded } = setup.fixture.failover;
        const current = await observe(setup, ref);
        const before = await mutationCount(setup);
        const negativeTtl = { ...current, ttl: -1 };
        expectErr(await ensure(setup, ref, negativeTtl), 'invalid-input', 'ensureRecordSet with ttl -1');
        const duplicated = { ...current, targets: [current.targets[0]!, { ...current.targets[0]! }] };
        expectErr(
          await ensure(setup, ref, duplicated),
          'invalid-input',
          'ensureRecordSet with duplicate target ids',
        );
        expect(await mutationCount(setup), 'mutating calls for invalid input').toBe(before);
        expectSameRecordSet(await observe(setup, ref), seeded);
      },
    );

    conformanceCase(
      options,
      'malformed arguments come back as FailoverErrors, never throws',
      false,
      async (setup) => {
        const p = setup.provider;
        const garbage = {} as never;
        expectSomeErr(await call(p, 'getRecordSet', () => p.getRecordSet(garbage)), 'getRecordSet({})');
        expectSomeErr(
          await call(p, 'ensureRecordSet', () => p.ensureRecordSet(setup.fixture.failover.ref, garbage)),
          'ensureRecordSet(ref, {})',
        );
        expectSomeErr(
          await call(p, 'waitForChange', () => p.waitForChange(garbage, { timeoutMs: 1_000 })),
          'waitForChange({})',
        );
      },
    );
  });
}

function standbyOf(seeded: DnsRecordSet): DnsTarget {
  const standby = seeded.targets.find((target) => target.priority === 2);
  if (!standby)
    throw new FailoverError({
      kind: 'invalid-input',
      message: 'The failover fixture needs a priority 2 target.',
      provider: 'conformance',
      operation: 'fixture',
    });
  return standby;
}

function withoutHealth(target: DnsTarget): DnsTarget {
  const { health: _health, ...rest } = target;
  return rest;
}

const normName = (name: string) => name.replace(/\.$/, '').toLowerCase();

function expectSameRecordSet(observed: DnsRecordSet, expected: DnsRecordSet): void {
  expect(normName(observed.name), 'record set name').toBe(normName(expected.name));
  expect(observed.type.toUpperCase(), 'record set type').toBe(expected.type.toUpperCase());
  expect(diffDnsRecordSet(observed, expected), 'differences from the expected record set').toEqual([]);
}
