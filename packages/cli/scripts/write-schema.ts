// Writes plan.schema.json from core's zod schema (`failover schema`), so the
// published file never drifts from what `failover validate` checks.
// Run: pnpm --filter @failover/cli schema
import { writeFileSync } from 'node:fs';
import { planSchemaText } from '../src/commands/schema-command.js';

const target = new URL('../plan.schema.json', import.meta.url);
writeFileSync(target, planSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);
