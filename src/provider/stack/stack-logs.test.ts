import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, stackEnv } from '../../../test/stack/stack-env.js';
import { execIn } from './exec.js';
import { AKASH_NAMESPACE } from './manifests.js';
import { LOG_COMPONENTS, chartLogsCommand } from './stack-logs.js';
import { makeTar } from './tar.js';

describe('chart log commands', () => {
  it('a follow asks kubectl for every pod and container of the release, streaming, with pod prefixes', () => {
    expect(chartLogsCommand('akash-provider', { tail: 100, follow: true })).toEqual([
      'kubectl', 'logs', '-n', AKASH_NAMESPACE, '-l', 'app.kubernetes.io/instance=akash-provider', '--all-containers', '--tail=100', '--follow', '--prefix', '--max-log-requests=20',
    ]);
    expect(chartLogsCommand('nginx-gateway-fabric', { tail: 50, follow: false })).toEqual(['kubectl', 'logs', '-n', 'nginx-gateway', '-l', 'app.kubernetes.io/instance=nginx-gateway-fabric', '--all-containers', '--tail=50']);
  });

  it('every chart component has a command; k3s and unknown names do not', () => {
    for (const c of LOG_COMPONENTS.filter((x) => x !== 'k3s')) expect(chartLogsCommand(c, { tail: 1, follow: true })).toContain('--follow');
    expect(() => chartLogsCommand('k3s', { tail: 1, follow: true })).toThrow();
    expect(() => chartLogsCommand('nope', { tail: 1, follow: true })).toThrow(/no stack component/);
  });
});

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

/** A kubectl that only knows `logs`: prints its args, then one line a second until its stdout closes. */
const FAKE_KUBECTL = '#!/bin/sh\nif [ "$1" != logs ]; then echo "fake kubectl: only logs" >&2; exit 1; fi\necho "fake kubectl $*"\ni=0\nwhile true; do i=$((i+1)); echo "[pod/akash-provider-0/provider] line $i seed: abandon ability able about above absent absorb abstract absurd abuse access accident"; sleep 1; done\n';

d('following chart logs on the real engine', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('without kubectl answering, the follow says k3s is not answering and keeps trying until cancelled', async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const ref = e.service.followLogs('akash-provider');
    await expect.poll(() => e.tasks.get(ref.id).log.join('\n'), { timeout: 15_000 }).toMatch(/unknown: k3s not answering.*trying again in 5 s/);
    expect(e.tasks.get(ref.id).state).toBe('running');
    // A failed attempt leaves nothing behind in the container (not even the stdin watcher).
    const c = docker.getContainer(`${e.prefix}-k3s`);
    await expect.poll(async () => (await execIn(c, ['ps'], { timeoutMs: 10_000 })).stdout.split('\n').filter((l) => /riglease-follow|\bcat\b/.test(l)), { timeout: 4_000 }).toEqual([]);
    e.tasks.cancel(ref.id);
    expect((await e.tasks.wait(ref.id)).state).toBe('cancelled');
  }, 60_000);

  it('with kubectl in the container, lines arrive while it runs; cancel ends the kubectl process too', async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const c = docker.getContainer(`${e.prefix}-k3s`);
    await c.putArchive(makeTar([{ name: 'bin/kubectl', body: Buffer.from(FAKE_KUBECTL), mode: 0o755 }]), { path: '/' });

    const ref = e.service.followLogs('akash-provider');
    // Streamed: the third line arrives seconds after the first, in the same task.
    await expect.poll(() => e.tasks.get(ref.id).log.join('\n'), { timeout: 20_000 }).toContain('line 3');
    const log = e.tasks.get(ref.id).log.join('\n');
    expect(log).toContain(`fake kubectl ${chartLogsCommand('akash-provider', { tail: 100, follow: true }).slice(1).join(' ')}`);
    // Every line passes the redactor: a recovery-phrase-like run of words never reaches the screen.
    expect(log).toContain('line 1 seed:');
    expect(log).not.toContain('abandon ability');
    // kubectl itself, plus the wrapper shell and its stdin watcher (their argv names kubectl too).
    const ps = async () => (await execIn(c, ['ps'], { timeoutMs: 10_000 })).stdout.split('\n');
    const running = async () => (await ps()).filter((l) => l.includes('kubectl logs')).length;
    expect((await ps()).filter((l) => l.includes('/bin/kubectl logs'))).toHaveLength(1);

    e.tasks.cancel(ref.id);
    expect((await e.tasks.wait(ref.id)).state).toBe('cancelled');
    // No kubectl left behind in the cluster after the screen's log closes.
    await expect.poll(running, { timeout: 10_000, interval: 500 }).toBe(0);
  }, 60_000);
});
