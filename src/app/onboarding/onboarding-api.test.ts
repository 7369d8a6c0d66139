import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import type { OnboardingState } from '../../api/schemas/onboarding.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../../test/docker/engine.js';
import { Agent } from '../agent.js';

let home: string;
const agents: Agent[] = [];

function newAgent(): Agent {
  const paths = pathsUnder(home);
  const agent = new Agent({
    host: 'cli',
    paths,
    secrets: passphraseSecretStore(paths.secretsDir, async () => 'onboarding-test-pass'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST },
  });
  agents.push(agent);
  return agent;
}

async function call(agent: Agent, method: string, input: unknown): Promise<OnboardingState> {
  const env = await dispatch(agent.handlers, method, input, { via: 'internal' });
  if (!env.ok) throw Object.assign(new Error(env.error.message), env.error);
  return env.value as OnboardingState;
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-onboarding-api-'));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await rm(home, { recursive: true, force: true });
});

describe('onboarding API on the real agent', () => {
  it('walks to the first step that needs the person and resumes there after a restart', async () => {
    const first = newAgent();
    const fresh = await call(first, 'onboarding.state', {});
    expect(fresh.current).toBe('readiness');
    expect(fresh.steps.every((s) => s.status === 'pending')).toBe(true);

    // The test engine has no NVIDIA runtime, so the real scan blocks and the wizard stops at "fixes".
    const seen: string[] = [];
    const off = first.hub.subscribe('onboarding.changed', (s) => seen.push(s.steps.filter((x) => x.status !== 'pending').map((x) => `${x.id}:${x.status}`).join(',')));
    const after = await call(first, 'onboarding.next', {});
    off();
    // Each change went out as an event, the action's start before its end.
    expect(seen).toEqual(['readiness:running', 'readiness:done', 'readiness:done,fixes:todo']);
    expect(after.steps.find((s) => s.id === 'readiness')).toMatchObject({ status: 'done', attempts: 1 });
    expect(after.current).toBe('fixes');
    expect(after.steps.find((s) => s.id === 'fixes')?.action).toEqual({ id: 'hardware.fix', label: 'Show the fixes', kind: 'user' });
    await first.stop();

    // A new agent on the same data folder (the app restarted) shows the same place without scanning.
    const second = newAgent();
    const resumed = await call(second, 'onboarding.state', {});
    expect(resumed.current).toBe('fixes');
    expect(resumed.steps.find((s) => s.id === 'readiness')?.status).toBe('done');
    expect(second.hardware.last()).toBeNull();
  }, 30_000);

  it('answers bad step names with errors a person can act on', async () => {
    const agent = newAgent();
    await expect(call(agent, 'onboarding.retry', { step: 'Nope!' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call(agent, 'onboarding.retry', { step: 'nope' })).rejects.toMatchObject({ code: 'not_found', fix: expect.stringContaining('readiness') });
    await expect(call(agent, 'onboarding.retry', { step: 'readiness' })).rejects.toMatchObject({ code: 'conflict' });
  }, 30_000);
});
