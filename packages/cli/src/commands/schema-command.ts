import { failoverPlanJsonSchema } from '@failover/core';
import { parseCommandArgs } from '../cli-args.js';
import { exitCodes } from '../cli-exit-codes.js';
import type { Command } from './command.js';

/** The published JSON Schema text: generated from core's zod schema, never written by hand. */
export function planSchemaText(): string {
  return `${JSON.stringify(failoverPlanJsonSchema(), null, 2)}\n`;
}

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of plan documents',
  help: `Usage: failover schema

Prints the JSON Schema (draft 2020-12) of plan documents (.json/.yaml), generated
from the same schema \`failover validate\` uses. Point your editor at it, e.g. in
a YAML plan: # yaml-language-server: $schema=./plan.schema.json

Options:
  -h, --help    show this help`,
  async run(args, { io }) {
    parseCommandArgs('schema', args, {}, { min: 0, max: 0, names: 'no argument' });
    io.stdout.write(planSchemaText());
    return exitCodes.success;
  },
};
