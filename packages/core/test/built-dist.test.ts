import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryInstall,
  esbuildBin,
  installBuilt,
  linkDependency,
  node,
  run,
  type TemporaryInstall,
  withFileAlone,
} from '../../../test/support/built-dist.js';

// Core's ESM build reaches its two dependencies through small generated CommonJS files
// in dist (tsup.config.ts): neverthrow through `neverthrow.cjs`, to spare Node scanning
// neverthrow for named exports at import; zod through `require-zod.cjs`, a plain
// `require` on the first validation that bundlers can follow. These tests build core's
// dist (ESM only, no declarations, under a second) into a temporary install, as a user
// gets it, and check in plain Node processes that core's Results are the user's
// neverthrow classes (one module instance), that zod still loads on first use, and that
// a bundle made by esbuild (as for a Lambda) runs alone with one copy of neverthrow.

const corePackage = fileURLToPath(new URL('..', import.meta.url));
const requireFromCore = createRequire(join(corePackage, 'package.json'));

let install: TemporaryInstall;
let app: string;

beforeAll(async () => {
  install = createTemporaryInstall('failover-core-dist-');
  app = install.app;
  await installBuilt(app, corePackage, '@failover/core');
  linkDependency(app, 'neverthrow', requireFromCore);
  linkDependency(app, 'zod', requireFromCore);
}, 120_000);

afterAll(() => install?.remove());

// Made by core (its re-exported `ok`, its validation, its executor chunk) and compared
// with the classes the user's own `import` and `require` of neverthrow give.
const identityScript = `
import { createRequire } from 'node:module';
import * as core from '@failover/core';
import { Err, Ok, ResultAsync } from 'neverthrow';
const required = createRequire(import.meta.url)('neverthrow');
const cached = () => Object.keys(createRequire(import.meta.url).cache);
const zodBeforeValidation = cached().some((path) => /[\\/]zod[\\/]/.test(path));
const invalid = { version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps: [] };
const validated = core.validatePlan(invalid);
const built = core.definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' }).step(core.wait('w', 1000)).build();
const running = core.runPlan(invalid, { providers: {} });
const ran = await running;
const cache = cached();
console.log(JSON.stringify({
  zodBeforeValidation,
  zodAfterValidation: cache.some((path) => /[\\/]zod[\\/]/.test(path)),
  okIsImportedOk: core.ok(1) instanceof Ok,
  okIsRequiredOk: core.ok(1) instanceof required.Ok,
  builtIsOk: built instanceof Ok,
  validatedIsErr: validated instanceof Err && validated instanceof required.Err,
  problems: validated.isErr() ? validated.error.problems.map((problem) => problem.path) : [],
  resultAsyncIsUsers: core.ResultAsync === ResultAsync && running instanceof ResultAsync && running instanceof required.ResultAsync,
  ranIsErr: ran instanceof Err,
  neverthrowCopies: cache.filter((path) => /[\\\\/]neverthrow[\\\\/]dist[\\\\/]/.test(path)).length,
  throughShim: cache.some((path) => path.endsWith('/@failover/core/dist/neverthrow.cjs')),
}));
`;

describe("core's built dist", () => {
  it("gives Results and a ResultAsync of the user's own neverthrow (imported and required), and loads zod on first use", async () => {
    writeFileSync(join(app, 'identity.mjs'), identityScript);
    expect(await node('identity.mjs', app)).toEqual({
      zodBeforeValidation: false,
      zodAfterValidation: true,
      okIsImportedOk: true,
      okIsRequiredOk: true,
      builtIsOk: true,
      validatedIsErr: true,
      problems: ['steps'],
      resultAsyncIsUsers: true,
      ranIsErr: true,
      neverthrowCopies: 1,
      throughShim: true,
    });
  });

  // `platform=node` reads `main` first; AWS CDK's NodejsFunction bundles ESM with
  // `module,main`, which picks neverthrow's ESM file for the user's import: esbuild must
  // then give core's `require` that same file, not a second copy. The validation needs
  // zod, so it fails unless the bundle holds zod.
  it.each([[[]], [['--main-fields=module,main']]])(
    'bundles with esbuild %j into one file that runs with no node_modules in reach',
    async (extraOptions) => {
      const bundleApp = `
import { definePlan, ok, validatePlan, wait } from '@failover/core';
import { Ok } from 'neverthrow';
const bad = validatePlan({ version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps: [] });
const good = definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' }).step(wait('w', 1000)).build();
console.log(JSON.stringify({ problems: bad.isErr() ? bad.error.problems.map((p) => p.path) : [], built: good.isOk(),
  sameOk: ok(1) instanceof Ok && good instanceof Ok }));
`;
      writeFileSync(join(app, 'bundle-app.mjs'), bundleApp);
      const outfile = join(app, 'bundle.mjs');
      await run(
        esbuildBin,
        [
          'bundle-app.mjs',
          '--bundle',
          '--platform=node',
          '--format=esm',
          `--outfile=${outfile}`,
          '--log-level=error',
          ...extraOptions,
        ],
        app,
      );
      // Away from the install: anything the bundle left unresolved would fail to load.
      expect(
        await withFileAlone('failover-core-bundle-', outfile, (alone) => node('bundle.mjs', alone)),
      ).toEqual({ problems: ['steps'], built: true, sameOk: true });
    },
  );
});
