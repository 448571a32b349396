import { defineConfig } from 'tsup';
import { requireThroughCommonJs } from '../../scripts/tsup-require-through-commonjs.js';

/**
 * The client through `dist/kubernetes-client-require.cjs`, a plain
 * `require('@kubernetes/client-node')` on the first connection (see the helper).
 */
const clientThroughRequire = requireThroughCommonJs({
  name: 'kubernetes-client-through-require',
  source: 'src/kubernetes-client-require.ts',
  exportName: 'requireKubernetesClient',
  required: "require('@kubernetes/client-node')",
});

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // A library bundles none of its dependencies: an import it does not declare fails in a consumer's install.
  skipNodeModulesBundle: true,
  esbuildPlugins: [clientThroughRequire],
});
