import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // A library bundles none of its dependencies: an import it does not declare fails in a consumer's install.
  skipNodeModulesBundle: true,
});
