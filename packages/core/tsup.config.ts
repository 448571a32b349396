import { createRequire } from 'node:module';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Node built-ins core reads through `process.getBuiltinModule` instead of an ESM
 * `import`: for an ESM import Node builds a facade module that reads every export
 * of the built-in, and reading `fs.ReadStream` & co. loads Node's streams, ~3 ms of
 * `@failover/core`'s import time though core never uses them; the facades of the
 * others cost ~1 ms together. (`node:net` stays a dynamic import, on first use.)
 */
const builtinsWithoutEsmFacade = ['fs', 'os', 'module', 'path', 'events'];
const builtinWithoutEsmFacade = new RegExp(`^node:(${builtinsWithoutEsmFacade.join('|')})$`);

/**
 * Resolves `node:fs` (and the others above) to a small generated module with one
 * export per name the built-in has, each side-effect free, so the bundle keeps only
 * the names the sources import. A function (not a class) is a wrapper that looks the built-in up
 * on its first call (`node:os` is not even loaded until a journal asks the host
 * name). A class (`EventEmitter`, capitalised) and any other value is read, as is,
 * at load. `process.getBuiltinModule` exists from Node 20.16 and 22.3, within
 * core's `engines`.
 */
const builtinsThroughGetter: EsbuildPlugin = {
  name: 'builtins-through-getter',
  setup(build) {
    build.onResolve({ filter: builtinWithoutEsmFacade }, (args) => ({
      path: args.path.replace(/^node:/, ''),
      namespace: 'builtin-through-getter',
    }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-through-getter' }, (args) => {
      const builtin = createRequire(import.meta.url)(`node:${args.path}`) as Record<string, unknown>;
      const exported = Object.keys(builtin).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default',
      );
      // A getter (fs.promises, fs.ReadStream) is not read here: reading it is what loads the streams.
      // A class is read as is, so that `new` and `instanceof` work as with the built-in.
      const isFunction = (name: string) =>
        !/^[A-Z]/.test(name) && typeof Object.getOwnPropertyDescriptor(builtin, name)?.value === 'function';
      const contents = [
        'let $$loaded;',
        `const $$builtin = () => ($$loaded ??= process.getBuiltinModule('node:${args.path}'));`,
        'const $$read = (name) => $$builtin()[name];',
        ...exported.map((name) =>
          isFunction(name)
            ? `export const ${name} = (...args) => $$builtin().${name}(...args);`
            : `export const ${name} = /* @__PURE__ */ $$read('${name}');`,
        ),
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
