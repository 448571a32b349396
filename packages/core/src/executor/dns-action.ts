import type { FailoverError } from '../errors/failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import { diffDnsRecordSet } from '../providers/dns/diff-dns-record-set.js';
import type { DnsRecordSet } from '../providers/dns/dns-record-set.js';
import { withWeightPercents } from '../providers/dns/dns-weight-scale.js';
import { resolveDnsDesiredState } from '../providers/dns/resolve-dns-desired-state.js';
import { weightsAdvance } from '../providers/dns/weights-advance.js';
import { err, ok, type Result } from '../result.js';
import { precheckAction } from './action-precheck.js';
import { ensureDnsRecordSet } from './dns-batch.js';
import { observeDnsRecordSet } from './dns-batch-observe.js';
import { waitForDnsChange } from './dns-batch-wait.js';
import { emitStepWait } from './emit-step-wait.js';
import { lookupProvider } from './lookup-provider.js';
import { forgetGoneOperation } from './operation-gone.js';
import type { WeightsAdvancedEvidence } from './step-evidence.js';
import { actionValue, journaledEnsure } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';

type DnsAction = Extract<ActionSpec, { type: 'dns' }>;

/**
 * `getRecordSet` -> `resolveDnsDesiredState` -> `diffDnsRecordSet`; on a
 * difference (and not in a dry-run) `ensureRecordSet`, then `waitForChange`
 * unless `waitForSync` is false. A resumed step that has a journaled handle
 * only waits. An advance-only step (`desired.advanceTowards`) whose stage the
 * traffic has already reached leaves the weights out of its desired state.
 */
export async function runDnsAction(run: StepRun, spec: DnsAction): Promise<Result<StepValue, FailoverError>> {
  const found = lookupProvider(run.ctx.providers, spec.provider, 'dns');
  if (found.isErr()) return err(found.error);
  const dns = found.value;

  if (!run.progress.ensured) {
    const observed = await observeDnsRecordSet(run, spec.provider, dns, spec.record);
    let current: DnsRecordSet | null;
    if (observed.isOk()) current = observed.value;
    else if (observed.error.kind === 'not-found' && spec.desired.createIfMissing) current = null;
    else return err(observed.error);

    // A canary stage already reached (or passed) leaves the weights alone: never back.
    // A retry after a lost answer finds its own change: that step did change something, no evidence.
    const advanced = current && alreadyAdvanced(current, spec);
    if (advanced && !run.progress.intentBefore) run.evidence = advanced;
    else if (run.evidence?.type === 'weights-already-advanced') delete run.evidence;
    const targets = withWeightPercents(
      spec.desired.targets,
      advanced ? undefined : spec.desired.weightPercents,
      dns.capabilities.weightScale,
    );
    if (targets.isErr()) return err(targets.error);
    const resolved = resolveDnsDesiredState(
      current,
      { ...spec.desired, ...(targets.value && { targets: targets.value }) },
      spec.record,
    );
    if (resolved.isErr()) return err(resolved.error);
    const desired: DnsRecordSet = current
      ? resolved.value
      : { ...resolved.value, name: spec.record.name, type: spec.record.type ?? resolved.value.type };
    const differences = diffDnsRecordSet(current, desired);

    // A record set about to be created has nothing observed to pre-check against.
    const refused =
      differences.length > 0 && current
        ? await precheckAction(
            run,
            spec.provider,
            dns.provider,
            'precheckRecordSet',
            dns.precheckRecordSet && ((o) => dns.precheckRecordSet!(spec.record, desired, current, o)),
          )
        : ok(undefined);
    if (refused.isErr()) return err(refused.error);
    if (run.ctx.dryRun) {
      return ok({
        changed: false,
        diff: {
          type: 'dns',
          wouldChange: differences.length > 0,
          differences,
          ...(refused.value && { refused: refused.value }),
        },
      });
    }
    if (differences.length === 0) return ok(actionValue(run));

    const journaled = await journaledEnsure(run, 'ensureRecordSet', current, () =>
      ensureDnsRecordSet(run, spec, dns, spec.record, desired),
    );
    if (journaled.isErr()) return err(journaled.error);
  }

  const handle = run.progress.ensured?.handle;
  if (handle && spec.waitForSync !== false) {
    emitStepWait(run, handle);
    const waited = await waitForDnsChange(run, spec.provider, dns, handle);
    if (waited.isErr()) return err(forgetGoneOperation(run, waited.error));
  }
  return ok(actionValue(run));
}

/**
 * The evidence that an advance-only step (`desired.advanceTowards`) finds its stage
 * already reached: the leading targets carry at least the stage's share. Undefined
 * when the stage's weights must be set.
 */
function alreadyAdvanced(current: DnsRecordSet, spec: DnsAction): WeightsAdvancedEvidence | undefined {
  const { weightPercents, advanceTowards } = spec.desired;
  if (!weightPercents || !advanceTowards) return undefined;
  const advance = weightsAdvance(current, weightPercents, advanceTowards);
  if (!advance?.inSync) return undefined;
  const percent = (value: number) => String(Math.round(value * 100) / 100);
  return {
    type: 'weights-already-advanced',
    record: spec.record.name,
    leading: advance.leading,
    observedPercent: advance.observedPercent,
    stagePercent: advance.stagePercent,
    summary: `${spec.record.name}: ${percent(advance.observedPercent)} % of the traffic is already on ${advance.leading.join(', ')}, at or beyond this stage's ${percent(advance.stagePercent)} %; the weights are left as they are (a stage never moves traffic back).`,
  };
}
