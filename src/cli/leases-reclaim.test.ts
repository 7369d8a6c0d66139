import { describe, expect, it } from 'vitest';
import { LeasePage, WalletInfo } from '../api/schemas/chain.js';
import { ReclaimClosed, ReclaimPreview, ReclaimStarted } from '../api/schemas/reclaim.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';
import { runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { TEST_CHAIN_ID, TEST_TENANT, useChainCli } from '../../test/chain-cli.js';

const CHAIN_ID = TEST_CHAIN_ID;
const TENANT = TEST_TENANT;
const cli = useChainCli('reclaim-cli-test');

/** The real CLI in a child process against the chain test node. */
function riglease(args: string[], stdin = ''): Promise<CliRun> {
  const env = { ...process.env, RIGLEASE_HOME: cli.home, RIGLEASE_CHAIN_RPC: cli.node.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: 'cli reclaim passphrase 1' };
  return runBundledCli(cli.main, args, env, { stdin });
}

describe('riglease leases reclaim / close (AEP-82) against the chain test node', () => {
  let provider = '';
  const lease = `${TENANT}/700/1/1`;
  const noWindow = `${TENANT}/701/1/1`;

  it('refuses without --yes, saying what would happen, and sends nothing', async () => {
    const imported = await riglease(['wallet', 'import', '--json'], generateMnemonic());
    expect(imported.code, imported.stderr).toBe(0);
    provider = WalletInfo.parse(JSON.parse(imported.stdout)).address!;
    cli.node.chain.fund(provider, 'uakt', 5_000_000n);
    const h = cli.node.chain.state.height;
    cli.node.chain.seed({
      leases: [
        { owner: TENANT, dseq: 700, provider, pricePerBlock: '2', createdAt: h, reclamationWindowSeconds: 2 * 3600 },
        { owner: TENANT, dseq: 701, provider, pricePerBlock: '2', createdAt: h },
      ],
    });
    const txs = cli.node.chain.acceptedTxs;
    const dry = await riglease(['leases', 'reclaim', lease, '--json']);
    expect(dry.code).toBe(1);
    const preview = ReclaimPreview.parse(JSON.parse(dry.stdout)); // exactly one JSON object
    expect(preview).toMatchObject({ reclaimable: true, windowSeconds: 7200, reason: 10_002 });
    expect(preview.whatHappens.join(' ')).toMatch(/notice window of 2 h/);
    expect(dry.stderr).toMatch(/nothing was sent: giving notice needs --yes/);
    expect(cli.node.chain.acceptedTxs).toBe(txs);

    const human = await riglease(['leases', 'reclaim', lease]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Giving notice on .*\/700\/1\/1 would:/);
    expect(human.stdout).toMatch(/Deadline: about \d{4}-\d\d-\d\dT/);
    expect(human.stdout).toMatch(/Fee: 0\.\d+ AKT/);
  });

  it('gives notice with --yes and prints the deadline; `leases --state reclaiming` lists it', async () => {
    const run = await riglease(['leases', 'reclaim', lease, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const started = ReclaimStarted.parse(JSON.parse(run.stdout));
    const block = cli.node.chain.state.blocks.find((b) => b.height === started.tx.height)!;
    expect(started.deadline).toBe(Math.floor(block.time.getTime() / 1000) + 7200);
    const listed = LeasePage.parse(JSON.parse((await riglease(['leases', '--state', 'reclaiming', '--json'])).stdout));
    expect(listed.leases.map((l) => [l.dseq, l.state, l.reclamation?.deadline])).toEqual([['700', 'reclaiming', started.deadline]]);
    const again = await riglease(['leases', 'close', lease, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/runs until .* the chain refuses to end it before/);
  });

  it('closes after the deadline, and only with --yes', async () => {
    const noYes = await riglease(['leases', 'close', lease]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/needs --yes/);
    cli.node.chain.advance(1, { blockSeconds: 7201 });
    const run = await riglease(['leases', 'close', lease, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(ReclaimClosed.parse(JSON.parse(run.stdout)).lease.state).toBe('closed');
  });

  it('says why a lease without a window cannot be reclaimed, and rejects a bad id or reason', async () => {
    const run = await riglease(['leases', 'reclaim', noWindow, '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bid without a notice window, so it cannot be reclaimed politely/);
    const badId = await riglease(['leases', 'reclaim', 'nope/1']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/OWNER\/DSEQ\/GSEQ\/OSEQ/);
    const badReason = await riglease(['leases', 'reclaim', lease, '--reason', '20000', '--yes']);
    expect(badReason.code).not.toBe(0);
    expect(badReason.stderr).toMatch(/10000 to 19999/);
  });
});
