#!/usr/bin/env node
// The `riglease` command: runs the bundled CLI. The bundle is made by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('error: RigLease is not built yet.\nfix: run `npm run build` in the RigLease folder first.\n');
  process.exit(1);
}
await import(cli.href);
