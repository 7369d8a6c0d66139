import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, objectsOf, stackEnv, stackStandIn, type StackEnv } from '../../../test/stack/stack-env.js';
import { makeTar, readTar } from '../../provider/stack/tar.js';
import { pathsUnder, type Paths } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { RepairService } from './repair.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

/** A data folder as a user's looks after a while: wallet, settings, logs, state, history, an export. */
async function seededHome(): Promise<Paths> {
  const paths = pathsUnder(await mkdtemp(path.join(os.tmpdir(), 'riglease-repair-')));
  for (const dir of [paths.logsDir, paths.stateDir, paths.historyDir, paths.secretsDir, path.join(paths.home, 'diagnostics')]) await mkdir(dir, { recursive: true });
  await writeFile(path.join(paths.secretsDir, 'wallet.mnemonic.secret'), 'encrypted-phrase');
  await writeFile(path.join(paths.secretsDir, 'provider.cert-key.secret'), 'encrypted-cert-key');
  await writeFile(path.join(paths.stateDir, 'wallet.json'), '{"version":1,"address":"akash1xyz"}');
  await writeFile(path.join(paths.stateDir, 'onboarding.json'), '{}');
  await writeFile(path.join(paths.stateDir, 'availability.json'), '{}');
  await writeFile(path.join(paths.historyDir, 'availability.jsonl'), '{}\n');
  await writeFile(path.join(paths.logsDir, 'agent.log'), 'line\n');
  await writeFile(path.join(paths.home, 'diagnostics', 'riglease-diagnostics.zip'), 'zip');
  await writeFile(paths.settingsFile, '{"hardware":{"telemetryIntervalMs":5000}}');
  // Not RigLease's: Electron's userData holds Chromium's files beside ours.
  await mkdir(path.join(paths.home, 'Local Storage'), { recursive: true });
  await writeFile(path.join(paths.home, 'Local Storage', 'leveldb.log'), 'chromium');
  return paths;
}

function service(e: StackEnv, paths: Paths, resets: { n: number }): RepairService {
  return new RepairService({
    stack: e.service,
    tasks: e.tasks,
    paths,
    resetSettings: async () => {
      resets.n++;
      await writeFile(paths.settingsFile, '{}');
    },
    logger: silentLogger,
  });
}

const MARKER = 'var/lib/rancher/k3s/server/lease-workload-data.txt';
async function hasMarker(docker: Docker, container: string): Promise<boolean> {
  try {
    const stream = await docker.getContainer(container).getArchive({ path: `/${MARKER}` });
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    return readTar(Buffer.concat(chunks)).size > 0;
  } catch {
    return false;
  }
}

d('repair actions against the real engine (stand-in k3s)', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  const homes: string[] = [];
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
    for (const h of homes) await rm(h, { recursive: true, force: true });
  });

  it('restart keeps everything; reset k3s replaces the container and erases the volumes, keeps RigLease data; tokens are single-use and per action', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    const paths = await seededHome();
    homes.push(paths.home);
    const resets = { n: 0 };
    const repairs = service(e, paths, resets);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const container = `${e.prefix}-k3s`;
    // Data a lease's workload left in the cluster's volume.
    await docker.getContainer(container).putArchive(makeTar([{ name: MARKER, body: Buffer.from('tenant data') }]), { path: '/' });
    expect(await hasMarker(docker, container)).toBe(true);
    const before = await objectsOf(docker, e.prefix);
    expect(before.volumes.length).toBe(4);

    // Restart: nothing deleted, said so; the volume data survives.
    const r = await repairs.preview('restart-stack');
    expect(r.deletes).toEqual([]);
    const startedBefore = (await docker.getContainer(container).inspect()).State.StartedAt;
    expect((await e.tasks.wait(repairs.run('restart-stack', false, r.confirmToken).id)).state).toBe('succeeded');
    expect((await docker.getContainer(container).inspect()).State.StartedAt).not.toBe(startedBefore);
    expect(await hasMarker(docker, container)).toBe(true);
    // A token runs once.
    expect(() => repairs.run('restart-stack', false, r.confirmToken)).toThrow(/not confirmed/);

    // Reset k3s: the preview names the container, the network and every volume.
    const p = await repairs.preview('reset-k3s');
    expect(p.deletes.join('\n')).toContain(`Docker container ${container}`);
    expect(p.deletes.join('\n')).toContain(`Docker network ${e.prefix}-net`);
    for (const v of before.volumes) expect(p.deletes.join('\n')).toContain(`Docker volume ${v}`);
    expect(p.keeps.join('\n')).toMatch(/wallet and the provider key/);
    // Without its own token, or with another action's, nothing runs and nothing changes.
    const other = await repairs.preview('restart-stack');
    expect(() => repairs.run('reset-k3s', false, other.confirmToken)).toThrow(/not confirmed/);
    expect(() => repairs.run('reset-k3s', false, 'made-up')).toThrow(/not confirmed/);
    expect(await hasMarker(docker, container)).toBe(true);

    const oldId = (await docker.getContainer(container).inspect()).Id;
    const task = await e.tasks.wait(repairs.run('reset-k3s', false, p.confirmToken).id);
    expect(task.state, task.error?.message).toBe('succeeded');
    expect([task.step, task.of]).toEqual([3, 3]);
    const after = await objectsOf(docker, e.prefix);
    expect(after.volumes.sort()).toEqual(before.volumes.sort());
    const fresh = await docker.getContainer(container).inspect();
    expect(fresh.Id).not.toBe(oldId);
    expect(fresh.State.Running).toBe(true);
    // The cluster's data is gone (fresh volumes); RigLease's own files are all still there.
    expect(await hasMarker(docker, container)).toBe(false);
    expect(await readFile(path.join(paths.secretsDir, 'wallet.mnemonic.secret'), 'utf8')).toBe('encrypted-phrase');
    expect(await readdir(paths.stateDir)).toEqual(expect.arrayContaining(['wallet.json', 'onboarding.json', 'availability.json']));
    expect(await readFile(paths.settingsFile, 'utf8')).toContain('5000');
    expect(resets.n).toBe(0);
  });

  it('factory reset: the stack and its volumes, settings, logs, state, history and exports go; the wallet and non-RigLease files stay', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    const paths = await seededHome();
    homes.push(paths.home);
    const resets = { n: 0 };
    const repairs = service(e, paths, resets);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');

    const p = await repairs.preview('factory-reset');
    const deletes = p.deletes.join('\n');
    for (const item of ['logs/agent.log', 'state/onboarding.json', 'state/availability.json', 'history/availability.jsonl', 'diagnostics/riglease-diagnostics.zip', 'settings.json', `Docker container ${e.prefix}-k3s`]) {
      expect(deletes).toContain(item);
    }
    expect(deletes).not.toContain('wallet.json');
    expect(deletes).not.toContain('secrets');
    expect(p.keeps.join('\n')).toMatch(/the wallet: secrets\/.*state\/wallet\.json/);

    const task = await e.tasks.wait(repairs.run('factory-reset', false, p.confirmToken).id);
    expect(task.state, task.error?.message).toBe('succeeded');
    expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(resets.n).toBe(1);
    expect(await readdir(paths.stateDir)).toEqual(['wallet.json']);
    expect(await readdir(paths.logsDir)).toEqual([]);
    expect(await readdir(paths.historyDir)).toEqual([]);
    expect(await readdir(path.join(paths.home, 'diagnostics'))).toEqual([]);
    expect((await readdir(paths.secretsDir)).sort()).toEqual(['provider.cert-key.secret', 'wallet.mnemonic.secret']);
    expect(existsSync(path.join(paths.home, 'Local Storage', 'leveldb.log'))).toBe(true);

    // Wallet too, only when asked (and only for a factory reset); the stack is gone now, which is fine.
    await expect(repairs.preview('reset-k3s', true)).rejects.toThrow(/Only a factory reset/);
    const wipe = await repairs.preview('factory-reset', true);
    expect(wipe.deletes.join('\n')).toMatch(/secrets\/ \(the wallet's recovery phrase.*2 file/);
    expect(wipe.deletes.join('\n')).toContain('state/wallet.json');
    // A keep-wallet token does not run the wipe.
    const keep = await repairs.preview('factory-reset', false);
    expect(() => repairs.run('factory-reset', true, keep.confirmToken)).toThrow(/not confirmed/);
    expect((await e.tasks.wait(repairs.run('factory-reset', true, wipe.confirmToken).id)).state).toBe('succeeded');
    expect(existsSync(paths.secretsDir)).toBe(false);
    expect(await readdir(paths.stateDir)).toEqual([]);
    expect(existsSync(path.join(paths.home, 'Local Storage', 'leveldb.log'))).toBe(true);
  });

  it('reset k3s on a machine without the stack says so and deletes nothing', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    const paths = await seededHome();
    homes.push(paths.home);
    await expect(service(e, paths, { n: 0 }).preview('reset-k3s')).rejects.toThrow(/not installed/);
  });
});
