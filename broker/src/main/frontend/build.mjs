// Bundles the portal's script and styles (USWDS, xterm.js) with esbuild into the broker's classpath.
// Usage: node build.mjs OUTDIR   (Maven passes target/classes/portal/assets)
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve(process.argv[2] ?? '../../../target/classes/portal/assets');
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { app: 'src/app.js', portal: 'src/portal.css' },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome110', 'firefox115', 'safari16'],
  outdir: out,
  // USWDS' stylesheet points at its fonts and icons; only what it references is copied.
  loader: { '.woff2': 'file', '.woff': 'file', '.svg': 'file', '.png': 'file', '.gif': 'file', '.jpg': 'file', '.ttf': 'file', '.eot': 'file' },
  assetNames: 'files/[name]-[hash]',
  logLevel: 'warning',
});
// axe-core is for the browser tests only; it is served from test resources, never from the jar.
console.log('portal assets written to ' + out);
