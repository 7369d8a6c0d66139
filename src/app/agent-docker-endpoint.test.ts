import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { testDockerEngine } from '../../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { Agent } from './agent.js';

const engine = await testDockerEngine();
const engineSocket = engine.ok && engine.host.startsWith('unix://') ? engine.host.slice('unix://'.length) : null;
// The system socket comes first on Linux by design; where it exists it would (rightly) win.
const systemSocket = existsSync('/var/run/docker.sock');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * The bug this guards: Readiness found Docker Desktop's or rootless Docker's per-user socket and
 * showed green, while the stack only looked at DOCKER_HOST and /var/run/docker.sock and found
 * no engine. Both now ask the agent's one connection.
 */
describe.skipIf(!engineSocket || systemSocket)('the agent finds a per-user socket for the scan and the stack alike (real engine)', () => {
  it.each([
    ['Docker Desktop for Linux', (home: string) => ({ sock: path.join(home, '.docker/desktop/docker.sock'), env: {} })],
    ['rootless Docker', (home: string) => ({ sock: path.join(home, 'xdg/docker.sock'), env: { XDG_RUNTIME_DIR: path.join(home, 'xdg') } })],
  ])('%s', async (_name, layout) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'rl-agent-sock-'));
    dirs.push(home);
    const { sock, env } = layout(home);
    await mkdir(path.dirname(sock), { recursive: true });
    await symlink(engineSocket!, sock);
    const agentEnv: NodeJS.ProcessEnv = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, ...env };
    delete agentEnv['DOCKER_HOST'];
    const agent = new Agent({
      host: 'cli',
      paths: pathsUnder(home),
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'),
      logger: silentLogger,
      version: '0.0.0-test',
      env: agentEnv,
      platform: 'linux',
      homeDir: home,
    });
    try {
      const report = await agent.hardware.scan();
      expect(report.docker).toMatchObject({ endpoint: `unix://${sock}`, reachable: true });
      // The stack's status reads containers through the same client: it answers instead of "no engine".
      const status = await agent.stack.status();
      expect(status.components.map((c) => c.name)).toContain('container');
      expect((await agent.docker.resolve()).endpoint?.uri).toBe(`unix://${sock}`);
    } finally {
      await agent.stop();
    }
  }, 60_000);
});
