import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHeadlessAgent } from '../app/headless-host.js';
import { pathsUnder } from './paths.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('private folders', () => {
  it('creates the data, state and logs folders 0700 and narrows ones found wider', async () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), 'riglease-dirs-')), 'home');
    const a = createHeadlessAgent({ host: 'cli', version: 't', env: { RIGLEASE_HOME: fresh }, platform: 'linux' });
    await a.agent.stop();
    const p = pathsUnder(fresh);
    for (const dir of [p.home, p.stateDir, p.logsDir]) expect(mode(dir)).toBe(0o700);

    const old = path.join(mkdtempSync(path.join(tmpdir(), 'riglease-dirs-')), 'home');
    const q = pathsUnder(old);
    for (const dir of [q.home, q.stateDir, q.logsDir]) {
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o755);
    }
    const b = createHeadlessAgent({ host: 'cli', version: 't', env: { RIGLEASE_HOME: old }, platform: 'linux' });
    await b.agent.stop();
    for (const dir of [q.home, q.stateDir, q.logsDir]) expect(mode(dir)).toBe(0o700);
  });
});
