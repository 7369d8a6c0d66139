import { describe, expect, it } from 'vitest';
import { ProviderProfileSettings } from '../../api/schemas/settings/chain.js';
import { decodeJoinCode } from '../../provider/farm/join-code.js';
import { demoFleetHandlers, type DemoFleetDeps } from './demo-fleet.js';

const GPU = { index: 0, uuid: 'GPU-1', name: 'NVIDIA GeForce RTX 3090', vramMiB: 24576, pciSubSystemId: null, akash: { vendor: 'nvidia', model: 'rtx3090', ram: '24Gi', interface: 'pcie' }, utilizationPct: 0, temperatureC: 37, powerDrawW: 27, memoryUsedMiB: 1, powerLimitW: 200, powerMaxLimitW: 200 };

/** The parts of the Agent the demo fleet reads (the scan and the provider profile); a literal, not a whole agent. */
function fakeAgent(announced: unknown[] = []): DemoFleetDeps {
  const agent = {
    hub: { publish: (event: string, payload: unknown) => announced.push({ event, payload }) },
    hardware: { last: () => ({ gpus: [{ ...GPU, cudaVersion: '12.0' }], nvidia: { cudaVersion: '12.0' }, system: { cpu: { vendor: 'AMD', model: 'x' }, arch: 'x64' } }) },
    settings: { all: async () => ({ chain: { provider: ProviderProfileSettings.parse({ locationRegion: 'eu-central' }) } }) },
  };
  return agent as unknown as DemoFleetDeps; // the scan and the profile are partial: only the fields above are read
}

describe('demo fleet: the real join code, a simulated machine', () => {
  it('a code from "Add a machine" joins one simulated machine whose GPU then counts in the fleet; the code works once', async () => {
    let t = Date.UTC(2026, 11, 6, 12);
    const announced: unknown[] = [];
    const h = demoFleetHandlers(fakeAgent(announced), () => t);
    const ctx = { via: 'internal' } as const;
    expect((await h['farm.status']({ offset: 0 }, ctx)).role).toBe('none');
    const token = await h['farm.token']({ validMinutes: 60, recreate: false }, ctx);
    // The Fleet screen asks again only when farm.changed says so: the new controller is announced.
    expect(announced).toEqual([{ event: 'farm.changed', payload: { revision: 1, at: new Date(t).toISOString(), reason: 'state' } }]);
    // The real format: the member's own reader accepts it.
    expect(decodeJoinCode(token.code, t).controller).toBe('demo-rig');
    expect((await h['farm.status']({ offset: 0 }, ctx)).totals).toEqual({ machines: 1, reachable: 1, gpus: 1 });

    const joined = await h['farm.join']({ code: ` "${token.code}" ` }, ctx);
    expect(announced).toHaveLength(2);
    expect(joined).toMatchObject({ nodeName: 'demo-member-1', controller: 'demo-rig', gpus: [expect.objectContaining({ name: 'NVIDIA GeForce RTX 3090' })] });
    expect(joined.gpus[0]!.uuid).not.toBe(GPU.uuid);
    const st = await h['farm.status']({ offset: 0 }, ctx);
    expect(st.totals).toEqual({ machines: 2, reachable: 2, gpus: 2 });
    expect(st.machines.map((m) => m.hostname)).toEqual(['demo-rig', 'demo-member-1']);
    expect(st.codes).toEqual([]);

    await expect(h['farm.join']({ code: token.code }, ctx)).rejects.toMatchObject({ code: 'precondition_failed', message: expect.stringMatching(/already used/) });
    // A code from another controller (same format, another secret) is refused; so is a damaged or expired one.
    const other = demoFleetHandlers(fakeAgent(), () => t);
    const foreign = await other['farm.token']({ validMinutes: 60, recreate: false }, ctx);
    await expect(h['farm.join']({ code: foreign.code }, ctx)).rejects.toMatchObject({ code: 'unauthorized' });
    const fresh = await h['farm.token']({ validMinutes: 5, recreate: false }, ctx);
    await expect(h['farm.join']({ code: fresh.code.slice(0, -1) + (fresh.code.endsWith('0') ? '1' : '0') }, ctx)).rejects.toThrow(/damaged/);
    t += 6 * 60_000;
    await expect(h['farm.join']({ code: fresh.code }, ctx)).rejects.toThrow(/expired/);
  });
});
