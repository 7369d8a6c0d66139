// Loads src/hardware/nvidia/capture-replay.ts (the ONE replayer, shared with demo mode) into a
// plain `node` process without a build step: esbuild strips the types once per version of the
// file, and the result is kept in the temp folder under the hash of the source, so every later
// run costs one small file read and an import (the fake starts about as fast as before).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCE = fileURLToPath(new URL('../../src/hardware/nvidia/capture-replay.ts', import.meta.url));

export async function loadCaptureReplay() {
  const source = fs.readFileSync(SOURCE, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cached = path.join(os.tmpdir(), `riglease-capture-replay-${hash}.mjs`);
  if (!fs.existsSync(cached)) {
    const { transformSync } = await import('esbuild');
    const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: SOURCE });
    // Temp file + rename: two fakes starting at once never import half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  }
  return import(pathToFileURL(cached).href);
}
