// @ts-check
// A local TypeDoc plugin (see typedoc.json): names each entry point's module after the
// import specifier users write (`@failover/testing/conformance`) instead of its path
// relative to the other entry points (`testing/src/conformance`). It reads the name from
// the nearest package.json and the subpath from its `exports` map, so a new subpath
// export is named right without touching this file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const name = file && importSpecifierOf(file);
    if (name) reflection.name = name;
  });
}

/** `@failover/testing/conformance` for `…/packages/testing/src/conformance/index.ts`, if exported. */
function importSpecifierOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? target['@failover/source'] : undefined;
      if (typeof source === 'string' && resolve(dir, source) === resolve(file)) {
        return subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
      }
    }
    return undefined;
  }
  return undefined;
}
