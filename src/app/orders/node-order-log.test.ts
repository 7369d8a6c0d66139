import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { bidScriptFiles, BID_CONFIG_NAME, BID_SCRIPT_NAME, ORDER_LOG_NAME } from '../../provider/pricing/bid-script.js';
import { PROVIDER_CONFIG_NODE_DIR, writeNodeFile } from '../../provider/stack/node-file.js';
import { stackSuite } from '../../../test/stack/stack-suite.js';
import { nodeOrderLog } from './node-order-log.js';
import { OrdersViewService } from './orders-view-service.js';

/** Runs the script with `stdin`; its exit code does not matter here, only what it logged. */
function runScript(script: string, stdin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AKASH_DENOM: 'uact', RIGLEASE_ORDER_LOG_MAX_BYTES: '500' }, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', () => resolve());
    child.stdin.end(stdin);
  });
}
const GiB = 2 ** 30;
const order = (amount: string) =>
  JSON.stringify({ resources: [{ cpu: 4000, memory: 16 * GiB, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090' } } } }, storage: [{ class: 'ephemeral', size: 10 * GiB }], count: 1, endpoint_quantity: 1 }], price: { denom: 'uact', amount } });

/** Logs written by real runs of the generated script, rotated, put on the stand-in node, read back over the Docker API. */
async function realLogs(): Promise<{ current: string; older: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-orderlog-'));
  try {
    const files = bidScriptFiles({ settings: PricingSettings.parse({}), market: null, rateAtMs: Date.now(), local: [], paused: false, now: new Date() });
    await writeFile(path.join(dir, BID_SCRIPT_NAME), files.script);
    await chmod(path.join(dir, BID_SCRIPT_NAME), 0o755);
    await writeFile(path.join(dir, BID_CONFIG_NAME), files.config);
    for (const amount of ['100000', '1', '100000']) await runScript(path.join(dir, BID_SCRIPT_NAME), order(amount));
    return { current: await readFile(path.join(dir, ORDER_LOG_NAME), 'utf8'), older: await readFile(path.join(dir, `${ORDER_LOG_NAME}.1`), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await stackSuite("the bid script's order log, read from the node (real engine, stand-in k3s)", ({ docker, env }) => {
  it('reads the rotated and the current file, skips a damaged line, and says when there is no stack', async () => {
    const e = await env();
    const none = new OrdersViewService({ log: nodeOrderLog(docker, async () => `${e.prefix}-absent`), openOrders: async () => ({ orders: [], scanned: 0 }), quote: async () => { throw new Error('unused'); }, localModels: async () => [] });
    expect((await none.log(24)).source).toBe('no-stack');

    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const svc = new OrdersViewService({ log: nodeOrderLog(docker, async () => e.prefix), openOrders: async () => ({ orders: [], scanned: 0 }), quote: async () => { throw new Error('unused'); }, localModels: async () => [] });
    const empty = await svc.log(24);
    expect(empty).toMatchObject({ source: 'node', orders: [], message: 'The bid script has not seen an order yet.' });

    const logs = await realLogs();
    await writeNodeFile(docker(), e.prefix, PROVIDER_CONFIG_NODE_DIR, `${ORDER_LOG_NAME}.1`, logs.older);
    await writeNodeFile(docker(), e.prefix, PROVIDER_CONFIG_NODE_DIR, ORDER_LOG_NAME, `${logs.current}{"v":1,"t":`);
    const view = await svc.log(24);
    expect(view.source).toBe('node');
    expect(view.skipped).toBe(1);
    expect(view.orders.map((o) => o.decision).reverse()).toEqual(['bid', 'refused', 'bid']);
    expect(view.orders[1]).toMatchObject({ code: 'price_too_low', maxPrice: '1' });
    expect(view.summary.line).toBe('3 GPU orders today: bid on 2, 1 below your price');
  });
});
