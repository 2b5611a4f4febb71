/**
 * Bundles the `smartpole` command (dist/bin/smartpole.js and everything it imports) into one file,
 * dist/smartpole.js, which is what package.json's `bin`, the README and the tests run.
 *
 * Why: Node's ESM loader resolves, reads and links each of the ~1,500 files of the runtime and its
 * dependencies one by one; that cost ~600 ms of a 1.7 s start on the 2-core reference machine
 * (startup to first frame ≤ 2 s; docs/architecture.md §Build). One file starts in ~1.2 s.
 * Native addons stay external (they locate their .node files from their own package directory).
 * Run after `tsc` (npm run build does both).
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { packageRoot } from '../runtime/version.js';

/** Packages loaded from node_modules at run time, not bundled: native addons and optional ws helpers. */
export const BUNDLE_EXTERNAL = ['canvas', 'better-sqlite3', '@serialport/bindings-cpp', 'bufferutil', 'utf-8-validate'];

export async function bundleCli(root = packageRoot()): Promise<string> {
  const outfile = join(root, 'dist', 'smartpole.js');
  await build({
    entryPoints: [join(root, 'dist', 'bin', 'smartpole.js')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: BUNDLE_EXTERNAL,
    // CommonJS dependencies call require(); an ESM bundle has none of its own.
    banner: { js: "import { createRequire as __smartpoleRequire } from 'node:module'; const require = __smartpoleRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The launcher (runtime/update/launcher.ts): node: imports only, so it starts in tens of ms.
  await build({
    entryPoints: [join(root, 'dist', 'runtime', 'update', 'launcher-main.js')],
    outfile: join(root, 'dist', 'smartpole-launcher.js'),
    bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await bundleCli();
  console.log(`bundled ${out}`);
}
