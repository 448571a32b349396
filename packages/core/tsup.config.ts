import { createRequire } from 'node:module';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Node built-ins core reads through `process.getBuiltinModule` instead of an ESM
 * `import`: for an ESM import Node reads every export of the module, and reading
 * `fs.ReadStream` & co. loads Node's streams, ~3 ms of `@failover/core`'s import
 * time though core never uses them (os and module cost ~0.4 ms each the same way).
 */
const builtinsWithoutEsmFacade = ['fs', 'os', 'module'];
const builtinWithoutEsmFacade = new RegExp(`^node:(${builtinsWithoutEsmFacade.join('|')})$`);

/**
 * Resolves `node:fs` (and the others above) to a small generated module: one export
 * per name the built-in has, each `/* @__PURE__ *\/`, so the bundle keeps only the
 * names the sources import and reads each once, at load, from the real module
 * (the same functions, not wrappers). `process.getBuiltinModule` exists from
 * Node 20.16 and 22.3, within core's `engines`.
 */
const builtinsThroughGetter: EsbuildPlugin = {
  name: 'builtins-through-getter',
  setup(build) {
    build.onResolve({ filter: builtinWithoutEsmFacade }, (args) => ({
      path: args.path.replace(/^node:/, ''),
      namespace: 'builtin-through-getter',
    }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-through-getter' }, (args) => {
      const exported = Object.keys(createRequire(import.meta.url)(`node:${args.path}`)).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default',
      );
      const contents = [
        `const $$builtin = process.getBuiltinModule('node:${args.path}');`,
        'const $$read = (name) => $$builtin[name];',
        ...exported.map((name) => `export const ${name} = /* @__PURE__ */ $$read('${name}');`),
        'export default $$builtin;',
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // A library bundles none of its dependencies: an import it does not declare fails in a consumer's install.
  skipNodeModulesBundle: true,
  // tsup marks every `node:` import external before a plugin sees it; these few go to the plugin instead.
  removeNodeProtocol: false,
  noExternal: [builtinWithoutEsmFacade],
  esbuildPlugins: [builtinsThroughGetter],
});
