import { spawn } from 'node:child_process';
import { type CliRun } from '../../test/cli-bundle.js';
import { TEST_CHAIN_ID, TEST_TENANT, useChainCli } from '../../test/chain-cli.js';
import { describe, expect, it } from 'vitest';
import { Balance, Earnings, LeasePage, ProviderOnChain, ProviderPlan, ProviderRegisterOutcome, WalletCreated, WalletInfo, WithdrawResult } from '../api/schemas/chain.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../test/docker/engine.js';

const PASSPHRASE = 'cli test passphrase 1';
const CHAIN_ID = TEST_CHAIN_ID;
const TENANT = TEST_TENANT;
const cli = useChainCli('chain-cli-test');

function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }),
    RIGLEASE_HOME: cli.home,
    DOCKER_HOST: TEST_DOCKER_HOST,
    RIGLEASE_CHAIN_RPC: cli.node.url,
    RIGLEASE_CHAIN_ID: CHAIN_ID,
    RIGLEASE_PASSPHRASE: PASSPHRASE,
    ...extra,
  };
}

/**
 * The real CLI in a child process. `answer` sees stdout as it grows and returns what to type on
 * stdin (once), like a person reading the phrase and typing the words it asks for.
 */
function riglease(args: string[], opts: { stdin?: string; answer?: (stdout: string) => string | null; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.main, ...args], { env: env(opts.env ?? {}), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.answer && !answered) {
        const text = opts.answer(stdout);
        if (text !== null) {
          answered = true;
          child.stdin.end(text);
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else if (!opts.answer) child.stdin.end();
  });
}

function json<T>(schema: { parse(v: unknown): T }, run: CliRun): T {
  expect(run.code, run.stderr).toBe(0);
  return schema.parse(JSON.parse(run.stdout));
}

/** Answers `wallet create --json` with the three asked words, or with one wrong. */
function confirmWords(wrong: boolean) {
  return (stdout: string): string | null => {
    try {
      const c = WalletCreated.parse(JSON.parse(stdout));
      const words = c.mnemonic.split(' ');
      return `${c.confirmPositions.map((p, i) => (wrong && i === 1 ? (words[p - 1] === 'zoo' ? 'abandon' : 'zoo') : words[p - 1])).join('\n')}\n`;
    } catch {
      return null; // the JSON is not complete yet
    }
  };
}

describe('riglease wallet / provider / leases / earnings / withdraw against the chain test node', () => {
  let address = '';

  it('wallet create prints the phrase once and saves only after the three words match', async () => {
    const wrong = await riglease(['wallet', 'create', '--json'], { answer: confirmWords(true) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Word \d+ does not match/);
    const none = await riglease(['wallet', 'address', '--json']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no wallet yet');

    const ok = await riglease(['wallet', 'create', '--json'], { answer: confirmWords(false) });
    const created = json(WalletCreated, ok);
    expect(created.mnemonic.split(' ')).toHaveLength(24);
    expect(ok.stdout.trim().split('\n').filter((l) => l === '{')).toHaveLength(1); // exactly one JSON object
    expect(ok.stderr).toContain(`Saved: ${created.address}`);
    const info = json(WalletInfo, await riglease(['wallet', 'address', '--json']));
    expect(info).toMatchObject({ exists: true, address: created.address, source: 'created', hdPath: "m/44'/118'/0'/0/0" });
    address = created.address;
  });

  it('wallet import takes the phrase from stdin only and explains a bad one without echoing it', async () => {
    const argv = await riglease(['wallet', 'import', 'abandon abandon abandon']);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('read from stdin, never from the command line');
    const call = await riglease(['call', 'wallet.import', '{"mnemonic":"x"}']);
    expect(call.code).toBe(2);
    const phrase = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    const badChecksum = phrase.replace('yellow', 'year');
    const bad = await riglease(['wallet', 'import', '--replace', '--json'], { stdin: badChecksum });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('checksum');
    expect(bad.stderr).not.toContain('sausage');
    const short = await riglease(['wallet', 'import', '--replace'], { stdin: 'legal winner thank' });
    expect(short.stderr).toContain('this one has 3');
    const exists = await riglease(['wallet', 'import'], { stdin: phrase });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('already exists');
    // The wallet from the first test is untouched by all of this.
    expect(json(WalletInfo, await riglease(['wallet', 'address', '--json'])).address).toBe(address);
  });

  it('wallet balance shows the exact shortfall, then none once funded; a wrong passphrase signs nothing', async () => {
    const empty = json(Balance, await riglease(['wallet', 'balance', '--json']));
    expect(empty.shortfall).toMatchObject({ ok: false, missingUakt: empty.shortfall.requiredUakt });
    cli.node.chain.fund(address, 'uakt', 30_000_000n);
    const funded = json(Balance, await riglease(['wallet', 'balance', '--json']));
    expect(funded.uakt).toBe('30000000');
    expect(funded.shortfall.ok).toBe(true);
    const wrong = await riglease(['wallet', 'send', '--to', TENANT, '--amount', '1', '--yes'], { env: { RIGLEASE_PASSPHRASE: 'not the passphrase' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Wrong passphrase');
    const down = await riglease(['wallet', 'balance'], { env: { RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9' } });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('could not be reached');
    const wrongChain = await riglease(['wallet', 'balance'], { env: { RIGLEASE_CHAIN_ID: 'akashnet-2' } });
    expect(wrongChain.stderr).toContain(`is on chain id "${CHAIN_ID}", not "akashnet-2"`);
  });

  it('provider register --dry-run shows messages, attributes and fee; register sends once; show reads it back', async () => {
    for (const [k, v] of [
      ['chain.provider.hostUri', 'https://provider.rig.example.com:8443'],
      ['chain.provider.locationRegion', 'eu-central'],
      ['chain.provider.memoryType', 'ddr5'],
    ]) {
      expect((await riglease(['settings', 'set', k!, v!])).code).toBe(0);
    }
    const before = cli.node.chain.acceptedTxs;
    const dry = await riglease(['provider', 'register', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = ProviderPlan.parse((JSON.parse(dry.stdout) as { plan: unknown }).plan);
    expect(plan.messages.map((m) => m.typeUrl)).toEqual(['/akash.provider.v1beta4.MsgCreateProvider', '/akash.cert.v1.MsgCreateCertificate']);
    expect(plan.attributes).toContainEqual({ key: 'capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie', value: 'true' });
    expect(Number(plan.fee?.feeUakt)).toBeGreaterThan(0);
    expect(cli.node.chain.acceptedTxs).toBe(before);

    const reg = json(ProviderRegisterOutcome, await riglease(['provider', 'register', '--json']));
    expect(reg.receipt?.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(reg.receipt?.explorerUrl).toBeNull(); // a local chain has no public explorer page
    const again = json(ProviderRegisterOutcome, await riglease(['provider', 'register', '--json']));
    expect(again.alreadyDone).toBe(true);
    expect(cli.node.chain.acceptedTxs).toBe(before + 1);

    const shown = json(ProviderOnChain, await riglease(['provider', 'show', '--json']));
    expect(shown).toMatchObject({ registered: true, hostUri: 'https://provider.rig.example.com:8443' });
    expect(shown.certificates).toEqual([expect.objectContaining({ state: 'valid' })]);

    await riglease(['settings', 'set', 'chain.provider.city', 'FRA']);
    const upd = await riglease(['provider', 'update', '--dry-run', '--json']);
    const updPlan = ProviderPlan.parse((JSON.parse(upd.stdout) as { plan: unknown }).plan);
    expect(updPlan.messages.map((m) => m.typeUrl)).toEqual(['/akash.provider.v1beta4.MsgUpdateProvider']);
    expect(updPlan.changes).toContain('add city=FRA');
  });

  it('leases pages by state, earnings add up the escrow, withdraw batches every active lease', async () => {
    const h = cli.node.chain.state.height;
    cli.node.chain.seed({
      leases: [
        ...Array.from({ length: 55 }, (_, i) => ({ owner: TENANT, dseq: 700 + i, provider: address, pricePerBlock: '2', createdAt: h })),
        { owner: TENANT, dseq: 9999, provider: address, pricePerBlock: '9', createdAt: h, state: 'closed' as const, withdrawn: '5000' },
      ],
      groups: [
        {
          owner: TENANT,
          dseq: 700,
          resources: [
            { cpuMilli: 4000, memoryBytes: 16 * 2 ** 30, storageBytes: 100 * 2 ** 30, gpuUnits: 1, gpuAttributes: [{ key: 'vendor/nvidia/model/rtx4090/ram/24Gi', value: 'true' }] },
            { cpuMilli: 500, memoryBytes: 2 ** 30, count: 2 },
          ],
        },
      ],
    });
    cli.node.chain.advance(10);
    const p1 = json(LeasePage, await riglease(['leases', '--state', 'active', '--limit', '40', '--json']));
    expect(p1.leases).toHaveLength(40);
    expect(p1.total).toBe(55);
    expect(p1.leases.every((l) => l.state === 'active')).toBe(true);
    // What a lease runs comes from its deployment group: units × count, GPU model from the attributes.
    expect(p1.leases.find((l) => l.dseq === '700')?.resources).toEqual({
      cpuMilli: 5000,
      memoryBytes: 18 * 2 ** 30,
      storageBytes: 100 * 2 ** 30,
      gpus: 1,
      gpuModels: ['rtx4090 24Gi'],
      summary: '1 × GPU (rtx4090 24Gi) · 5 CPU · 18 GiB RAM · 100 GiB disk',
    });
    expect(p1.leases.find((l) => l.dseq === '701')?.resources).toBeNull();
    const p2 = json(LeasePage, await riglease(['leases', '--state', 'active', '--limit', '40', '--key', p1.nextKey!, '--json']));
    expect(p2.leases).toHaveLength(15);
    expect(p2.nextKey).toBeNull();
    const closed = json(LeasePage, await riglease(['leases', '--state', 'closed', '--json']));
    expect(closed.leases.map((l) => l.dseq)).toEqual(['9999']);

    const e = json(Earnings, await riglease(['earnings', '--usd-per-akt', '2', '--json']));
    expect(e.activeLeases).toBe(55);
    // Accrued since the leases began (the closed one closed where it began); 5000 withdrawn before.
    const blocks = cli.node.chain.state.height - h;
    expect(blocks).toBeGreaterThanOrEqual(10);
    expect(e.perMonth.micro).toBe(55 * 2 * blocks);
    expect(e.perMonth.usd).toBeCloseTo((55 * 2 * blocks * 2) / 1e6, 2);
    expect(e.earned.micro).toBe(55 * 2 * blocks);
    expect(e.withdrawn.micro).toBe(5000);
    // Lifetime = withdrawn + what a withdrawal in the next block pays: 2 × (blocks + 1) a lease.
    expect(e.pendingWithdrawal.micro).toBe(55 * 2 * (blocks + 1));
    expect(e.lifetime.micro).toBe(5000 + 55 * 2 * (blocks + 1));

    const dry = json(WithdrawResult, await riglease(['withdraw', '--dry-run', '--json']));
    expect(dry).toMatchObject({ leases: 55, txs: [], dryRun: true });
    const w = json(WithdrawResult, await riglease(['withdraw', '--json']));
    expect(w.leases).toBe(55);
    expect(w.txs).toHaveLength(2); // 50 + 5
    const after = json(Earnings, await riglease(['earnings', '--json']));
    expect(after.lifetime.micro).toBeGreaterThan(5000);
    expect(after.lifetime.usd).toBeNull(); // no AKT price known here
  });

  it('wallet send needs --yes without a terminal, then sends and prints the receipt', async () => {
    const refused = await riglease(['wallet', 'send', '--to', TENANT, '--amount', '0.5']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Send 0.5 AKT to');
    expect(refused.stderr).toContain('nothing was sent');
    const tenantBefore = cli.node.chain.state.balances.get(TENANT)?.get('uakt') ?? 0n;
    const run = await riglease(['wallet', 'send', '--to', TENANT, '--amount', '0.5', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { preview: { amountUakt: string }; receipt: { hash: string } };
    expect(out.preview.amountUakt).toBe('500000');
    expect(out.receipt.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(cli.node.chain.state.balances.get(TENANT)?.get('uakt')).toBe(tenantBefore + 500_000n);
    const tooMuch = await riglease(['wallet', 'send', '--to', TENANT, '--amount', '100000', '--yes']);
    expect(tooMuch.stderr).toContain('Not enough AKT');
  });
});
