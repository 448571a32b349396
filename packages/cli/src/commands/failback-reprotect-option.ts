import type { ReprotectOptions } from '@failover/core';
import { CliError } from '../cli-error.js';

/**
 * `--reprotect <step>=<replica>[,provider=<name>][,writer=<id>][,switch-back=<database id>][,designate]`,
 * repeatable: the replicas the failback's reprotect plan re-creates, by failover step id.
 */
export function parseReprotectOptions(values: readonly string[]): Record<string, ReprotectOptions> {
  const out: Record<string, ReprotectOptions> = {};
  for (const value of values) {
    const [head, ...rest] = value.split(',').map((part) => part.trim());
    const match = /^([^=]+)=(.+)$/.exec(head ?? '');
    if (!match) throw usage(value, 'it must start with <step>=<replica>');
    const [, stepId, replicaId] = match as unknown as [string, string, string];
    const options: ReprotectOptions = { replicaId };
    for (const part of rest) {
      if (part === 'designate') {
        options.designate = true;
        continue;
      }
      const pair = /^(provider|writer|switch-back)=(.+)$/.exec(part);
      if (!pair) throw usage(value, `"${part}" is not provider=, writer=, switch-back= or designate`);
      if (pair[1] === 'provider') options.provider = pair[2]!;
      else if (pair[1] === 'writer') options.writerId = pair[2]!;
      else options.switchBackDatabase = { id: pair[2]! };
    }
    if (out[stepId]) throw usage(value, `step "${stepId}" is named twice`);
    out[stepId] = options;
  }
  return out;
}

const usage = (value: string, why: string) =>
  new CliError(
    `--reprotect "${value}": ${why}. Use <step>=<replica>[,provider=<name>][,writer=<id>][,switch-back=<database id>][,designate].`,
  );
