import type Docker from 'dockerode';
import { T, statusOf, withTimeout } from '../stack/docker-client.js';
import { ensureNetwork, ensureVolume, findContainer } from '../stack/docker-objects.js';
import { LABEL_SPEC_HASH, managedLabels } from '../stack/names.js';
import { ensureImage } from '../stack/preflight.js';
import { makeTar } from '../stack/tar.js';
import { AGENT_MOUNTS, agentNames, TOKEN_DIR } from './agent-spec.js';

export interface AgentConvergeResult {
  id: string;
  changed: boolean;
  started: boolean;
  created: string[];
}

/**
 * Brings the k3s agent to its planned state on this machine's engine: network, data volumes,
 * the token volume (written through a container that is created, never started), then the
 * container only when its spec hash differs. A second join with the same code changes nothing.
 * On failure, everything this run created is removed again: nothing is left half-joined.
 */
export async function convergeAgent(docker: Docker, prefix: string, spec: Docker.ContainerCreateOptions, hash: string, token: string, log: (line: string) => void): Promise<AgentConvergeResult> {
  const names = agentNames(prefix);
  const created: string[] = [];
  const undo: { container: string | null; volumes: string[]; network: string | null } = { container: null, volumes: [], network: null };
  try {
    if (await ensureNetwork(docker, names.network, prefix, managedLabels(prefix, 'agent-network'))) {
      undo.network = names.network;
      created.push(`network ${names.network}`);
    }
    for (const v of [...AGENT_MOUNTS.map((m) => names.volume(m.key)), names.tokenVolume]) {
      if (await ensureVolume(docker, v, prefix, managedLabels(prefix, v === names.tokenVolume ? 'farm-token' : 'agent-volume'))) {
        undo.volumes.push(v);
        created.push(`volume ${v}`);
      }
    }
    // The same k3s image as the server; pulled once (it is several GB) before anything uses it.
    let lastPct = -10;
    const how = await ensureImage(docker, spec.Image!, (pct, msg) => {
      if (pct - lastPct >= 10) {
        lastPct = pct;
        log(msg);
      }
    });
    if (how === 'pulled') log(`Downloaded ${spec.Image!}.`);
    await writeToken(docker, prefix, spec.Image!, names.tokenVolume, token);

    const existing = await findContainer(docker, names.container, prefix);
    let id: string;
    let changed = created.length > 0;
    if (existing && existing.Config.Labels?.[LABEL_SPEC_HASH] === hash) {
      id = existing.Id;
    } else {
      if (existing) {
        log('The agent container\'s settings changed: replacing it (its data volumes are kept).');
        await withTimeout('remove old agent', T.stop, docker.getContainer(existing.Id).remove({ force: true }));
      }
      const c = await withTimeout('create agent container', T.create, docker.createContainer(spec));
      id = c.id;
      undo.container = id;
      created.push(`container ${names.container}`);
      changed = true;
    }
    const c = docker.getContainer(id);
    const state = await withTimeout('inspect agent', T.quick, c.inspect());
    let started = false;
    if (!state.State.Running) {
      await withTimeout('start agent', T.create, c.start());
      started = true;
      changed = true;
    }
    return { id, changed, started, created };
  } catch (err) {
    await undoAgent(docker, undo, log);
    throw err;
  }
}

async function undoAgent(docker: Docker, undo: { container: string | null; volumes: string[]; network: string | null }, log: (line: string) => void): Promise<void> {
  const quiet = async (what: string, work: () => Promise<unknown>) => {
    try {
      await withTimeout(what, T.stop, work());
      log(`Rolled back: ${what}.`);
    } catch (e) {
      log(`Rollback step failed (${what}): ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (undo.container) await quiet('removed the agent container', () => docker.getContainer(undo.container!).remove({ force: true }));
  for (const v of undo.volumes) await quiet(`removed volume ${v}`, () => docker.getVolume(v).remove());
  if (undo.network) await quiet(`removed network ${undo.network}`, () => docker.getNetwork(undo.network!).remove());
}

/**
 * Puts the join token into its volume as a 0600 file. Docker extracts the archive into the
 * volume of a container that is only created, so no process ever sees the token but k3s.
 */
async function writeToken(docker: Docker, prefix: string, image: string, volume: string, token: string): Promise<void> {
  const seeder = await withTimeout(
    'create token writer',
    T.create,
    docker.createContainer({ Image: image, Entrypoint: ['/bin/true'], Labels: managedLabels(prefix, 'farm-token-writer'), HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: TOKEN_DIR }] } }),
  );
  try {
    await withTimeout('write join token', T.quick, seeder.putArchive(makeTar([{ name: `${TOKEN_DIR.slice(1)}/token`, body: Buffer.from(`${token}\n`, 'utf8'), mode: 0o600 }]), { path: '/' }));
  } finally {
    await seeder.remove({ force: true }).catch(() => undefined);
  }
}

/** Everything of the agent on this engine, removed (leave / removal / a failed join). Returns what it removed. */
export async function removeAgent(docker: Docker, prefix: string, keepData: boolean): Promise<string[]> {
  const names = agentNames(prefix);
  const removed: string[] = [];
  const info = await findContainer(docker, names.container, prefix);
  if (info) {
    await withTimeout('remove agent', T.stop, docker.getContainer(info.Id).remove({ force: true }));
    removed.push(`container ${names.container}`);
  }
  const vols = [names.tokenVolume, ...(keepData ? [] : AGENT_MOUNTS.map((m) => names.volume(m.key)))];
  for (const v of vols) {
    try {
      await withTimeout('remove volume', T.quick, docker.getVolume(v).remove());
      removed.push(`volume ${v}`);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
  if (!keepData) {
    try {
      await withTimeout('remove network', T.quick, docker.getNetwork(names.network).remove());
      removed.push(`network ${names.network}`);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
  return removed;
}

/** The agent container's state on this engine. */
export async function agentState(docker: Docker, prefix: string): Promise<'running' | 'stopped' | 'missing'> {
  const info = await findContainer(docker, agentNames(prefix).container, prefix);
  if (!info) return 'missing';
  return info.State.Running ? 'running' : 'stopped';
}
