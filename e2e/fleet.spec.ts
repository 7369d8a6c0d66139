import path from 'node:path';
import { dockerFor, gpusGivenTo, testDockerEngine, testGpuDockerEngine } from '../test/docker/engine.js';
import { FarmMachine } from '../test/farm/farm-machine.js';
import { cleanup, freePortRun, stackEnv, stackStandIn, type StackEnv } from '../test/stack/stack-env.js';
import { makeTar } from '../src/provider/stack/tar.js';
import { repoRoot } from './capture.js';
import { expect, test } from './fixtures.js';
import { FleetScreen } from './pages/fleet.page.js';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'screenshots');
const CLI = path.join(repoRoot, 'dist', 'cli.js');
const NODE_TOKEN = 'K10d2f1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345::server:5e0c2b9d8f7a6e5d4c3b2a1908f7e6d5';
const engine = await testDockerEngine();
const docker = engine.ok ? engine.docker : dockerFor('unix:///nonexistent');
// The joining machine has GPUs and the NVIDIA Container Toolkit: it runs on the engine that has them.
const gpuEngine = await testGpuDockerEngine();
const gpuDocker = gpuEngine.ok ? gpuEngine.docker : dockerFor('unix:///nonexistent');

test.describe('Fleet screen: a controller in the browser and a second machine joining it', () => {
  test.skip(!engine.ok || !gpuEngine.ok, !engine.ok ? `no test Docker engine: ${engine.reason}` : gpuEngine.ok ? '' : `no test GPU Docker engine: ${gpuEngine.reason}`);
  test.setTimeout(120_000);
  test.use({ capture: 'rtx3090_590.44.01_1gpu.xml', serverEnv: { RIGLEASE_PASSPHRASE: 'fleet-e2e-passphrase' } });

  let ctl: StackEnv | null = null;
  let member: FarmMachine | null = null;
  const memberPrefix = `rlef-${Date.now().toString(36)}`;
  test.afterEach(async () => {
    await member?.dispose();
    if (ctl) await cleanup(docker, ctl.prefix);
    await cleanup(gpuDocker, memberPrefix);
  });

  test('Add a machine shows a code and its QR; the joined machine\'s GPUs appear; pause records the cordon', async ({ rig, shell, page }) => {
    // The controller's provider stack (the k3s stand-in), with the node-token k3s would write.
    ctl = await stackEnv(docker, { gpus: [] });
    const up = await ctl.tasks.wait(ctl.service.up().id);
    expect(up.state).toBe('succeeded');
    await docker.getContainer(`${ctl.prefix}-k3s`).putArchive(makeTar([{ name: 'var/lib/rancher/k3s/server/node-token', body: Buffer.from(NODE_TOKEN) }]), { path: '/' });

    await shell.signIn(rig.loginUrl);
    const set = async (key: string, value: unknown) => {
      const res = await page.request.post(`${rig.origin}/api/rpc`, { data: { method: 'settings.set', input: { key, value } } });
      expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    };
    // The same stack settings the stand-in stack came up with: when `farm token` re-creates it for the farm, it stays the stand-in.
    await set('stack.namePrefix', ctl.prefix);
    for (const key of ['images', 'gpus', 'domain', 'ports', 'readyTimeoutSec', 'minFreeDiskGiB'] as const) await set(`stack.${key}`, ctl.settings[key]);
    const k3sPort = await freePortRun(3);
    await set('farm.k3sPort', k3sPort);
    await set('farm.kubeletPort', k3sPort + 1);
    await set('farm.vxlanPort', k3sPort + 2);
    // Both "machines" share this host: each publishes WireGuard's UDP port on a port of its own.
    await set('farm.wireguardPort', await freePortRun(1));
    await set('farm.machineName', 'rig-a');
    await set('farm.fleetPort', await freePortRun(1));
    await set('farm.listenHost', '127.0.0.1');
    await set('farm.advertiseAddress', '127.0.0.1');

    const fleet = new FleetScreen(page);
    await fleet.goto();
    await expect(page.getByTestId('fleet-join')).toBeVisible();
    // A garbled code is refused on screen with what to do.
    await fleet.joinCode.fill('RLJ1.not-a-real-code.00000000');
    await fleet.joinButton.click();
    await expect(page.getByTestId('fleet-join')).toContainText(/damaged/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fleet-not-in-a-farm.png'), fullPage: true });

    await fleet.makeCode.click();
    await expect(fleet.qr).toBeVisible();
    const code = await fleet.shownCode();
    expect(code).toMatch(/^RLJ1\./);
    // The stack came up before this machine was a controller and no lease runs: it is re-created for the farm, with its steps shown.
    await expect(page.getByTestId('fleet-stack-recreate')).toContainText('no lease was running');
    await expect(page.getByTestId('fleet-stack-recreate')).toContainText('accepts machines now', { timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fleet-stack-recreated.png'), fullPage: true });

    member = await FarmMachine.create('e2e-b', CLI, { xml: 'rtx4090_535.86.05_1gpu.xml' }, gpuEngine.ok ? gpuEngine.host : '');
    await member.start();
    await member.set({ 'stack.namePrefix': memberPrefix, 'stack.images.k3s': await stackStandIn(gpuDocker), 'farm.machineName': 'rig-b', 'farm.heartbeatSec': 1, 'farm.kubeletPort': await freePortRun(1), 'farm.vxlanPort': await freePortRun(1), 'farm.wireguardPort': await freePortRun(1) });
    const pasted = performance.now();
    const joined = await member.ok<{ container: { id: string }; gpus: { uuid: string | null }[] }>('farm.join', { code });
    // rig-b's GPU went through its engine to the NVIDIA runtime hook, by UUID.
    expect(gpusGivenTo(joined.container.id)).toBe(joined.gpus.map((g) => g.uuid).join(','));

    // No reload and no polling: the controller announces the change (farm.changed) and the page asks for itself again.
    await expect(fleet.totals).toContainText('2 machines', { timeout: 15_000 });
    await expect(fleet.machine('rig-a')).toContainText('NVIDIA GeForce RTX 3090');
    await expect(fleet.machine('rig-b')).toContainText('NVIDIA GeForce RTX 4090');
    // The address rig-b's k3s advertises (the controller is on this computer: loopback), nothing flagged.
    await expect(fleet.machine('rig-b').getByTestId('fleet-address')).toHaveText('LAN address: 127.0.0.1');
    await expect(fleet.machine('rig-b').getByTestId('fleet-address-warning')).toHaveCount(0);
    // Machine time of adding a second machine: the code handed to it → its GPU on the controller's Fleet screen.
    console.log(`farm join (e2e): code pasted → rig-b's GPU on the Fleet screen: ${((performance.now() - pasted) / 1000).toFixed(2)} s`);
    await expect(page.getByTestId('fleet-attributes')).toContainText('capabilities/gpu/vendor/nvidia/model/rtx4090', { useInnerText: false });

    await fleet.machine('rig-b').getByTestId('fleet-pause').click();
    await expect(fleet.machine('rig-b').getByTestId('node-intent')).toHaveText('paused (cordoned)');
    await expect(fleet.machine('rig-b').getByTestId('fleet-action-result')).toContainText('no new lease will land on it');
    // Where leases run is unknown here (the k3s stand-in has no kubectl): said, never guessed.
    await expect(fleet.machine('rig-b').getByTestId('fleet-leases')).toContainText('Leases: unknown');
    await fleet.machine('rig-b').getByTestId('fleet-offline').click();
    await expect(page.getByTestId('fleet-offline-confirm')).toContainText('every lease running on that node could end');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fleet-two-machines.png'), fullPage: true });
    await page.getByTestId('fleet-offline-confirm').getByRole('button', { name: 'Keep it online' }).click();
    await expect(page.getByTestId('fleet-offline-confirm')).toHaveCount(0);

    await fleet.machine('rig-b').getByTestId('fleet-remove').click();
    await expect(page.getByTestId('fleet-remove-confirm')).toContainText('the leases running on it end');
    await page.getByTestId('fleet-remove-confirm').getByRole('button', { name: 'Keep it' }).click();
    await fleet.machine('rig-b').getByTestId('fleet-pause').click();
    await expect(fleet.machine('rig-b').getByTestId('node-intent')).toHaveText('takes new leases');

    // The whole farm is its own switch (the bid table), worded apart from one machine's pause.
    await expect(fleet.machine('rig-b').getByTestId('fleet-pause')).toHaveText('Pause this machine');
    await expect(page.getByTestId('fleet-farm-bidding')).toHaveText('The farm bids');
    await page.getByTestId('fleet-pause-all').click();
    await expect(page.getByTestId('fleet-farm-result')).toContainText('the provider bids for none of its 2 machines');
    await expect(page.getByTestId('fleet-farm-bidding')).toContainText('Whole farm paused (paused from the fleet view): no bids for any machine');
    await expect(fleet.machine('rig-b').getByTestId('node-intent')).toHaveText('takes new leases');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fleet-whole-farm-paused.png'), fullPage: true });
    await page.getByTestId('fleet-pause-all').click();
    await expect(page.getByTestId('fleet-farm-bidding')).toHaveText('The farm bids');

    // The member's own screen: its node as the controller made it, and its own pause, which the controller records at once.
    await shell.signIn(`${member.origin}/?token=${member.token}`);
    await fleet.goto();
    const own = page.getByTestId('fleet-member-node');
    await expect(own.getByTestId('member-node-intent')).toHaveText('takes new leases', { timeout: 45_000 });
    await own.getByTestId('member-pause').click();
    await expect(own.getByTestId('member-node-intent')).toHaveText('paused (cordoned)');
    await expect(own).toContainText('Why: the machine itself is paused');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fleet-member-paused.png'), fullPage: true });
    const rigToken = new URL(rig.loginUrl).searchParams.get('token') ?? '';
    const res = await page.request.post(`${rig.origin}/api/rpc`, { headers: { authorization: `Bearer ${rigToken}` }, data: { method: 'farm.status', input: {} } });
    const ctlView = (await res.json()) as { value: { machines: { hostname: string; availability: string | null; node: { intent: string } }[] } };
    expect(ctlView.value.machines.find((m) => m.hostname === 'rig-b')).toMatchObject({ availability: 'paused', node: { intent: 'cordoned' } });
    expect(shell.problems).toEqual([]);
  });
});
