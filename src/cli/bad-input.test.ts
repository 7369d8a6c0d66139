import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from '../../test/cli-bundle.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';

/**
 * Bad command lines, run through the bundled CLI as a person would type them. Each must exit
 * non-zero, say what is wrong on stderr (an `error:` line that is not the "this is a bug"
 * fallback), and leave the data folder exactly as it was.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-bad-input-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const PASS = 'bad input suite passphrase';

let home: string;
let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bad-input-'));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'riglease-bad-input-files-'));
  env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, RIGLEASE_PASSPHRASE: PASS, RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9' };
  // A data folder with something in it to protect: a wallet and a changed setting.
  expect((await runBundledCli(MAIN, ['wallet', 'import'], env, { stdin: generateMnemonic(), timeoutMs: 60_000 })).code).toBe(0);
  expect((await runBundledCli(MAIN, ['settings', 'set', 'general.theme', 'dark'], env, { timeoutMs: 30_000 })).code).toBe(0);
  await writeFile(path.join(scratch, 'not-json.json'), 'this is not json');
  await writeFile(path.join(scratch, 'empty-object.json'), '{}');
  await writeFile(path.join(scratch, 'array.json'), '[]');
  await writeFile(path.join(scratch, 'wrong-types.json'), '{"resources":"x","price":{}}');
  await writeFile(path.join(scratch, 'negative-cpu.json'), '{"resources":[{"cpu":-1,"memory":1,"count":1}],"price":{"denom":"uact","amount":"1"}}');
  await writeFile(path.join(scratch, 'nan-amount.json'), '{"resources":[],"price":{"denom":"uact","amount":"NaN"}}');
  await writeFile(path.join(scratch, 'exists.zip'), 'already here');
}, 180_000);

afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

/**
 * Every file under the data folder: path, mode and content. logs/ is left out: it is the
 * append-only record of what each command did (a refused command may log its attempt), not state.
 */
async function hashTree(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (d === dir && e.name === 'logs') continue;
      const s = await stat(p);
      h.update(`${path.relative(dir, p)}\0${s.mode}\0`);
      if (e.isDirectory()) await walk(p);
      else h.update(await readFile(p));
    }
  };
  await walk(dir);
  return h.digest('hex');
}

interface BadInput {
  args: string[];
  stdin?: string;
  /** What the message must say (besides being a clear `error:` line). */
  says: RegExp;
}

const order = (name: string) => path.join(scratch, name);
const badInputs = (): BadInput[] => [
  // settings: wrong types, out of range, unknown keys, prototype keys, malformed paths
  { args: ['settings', 'set', 'hardware.telemetryIntervalMs', 'fast'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', '--', 'hardware.telemetryIntervalMs', '-5'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', 'hardware.telemetryIntervalMs', '1e309'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', 'hardware.telemetryIntervalMs', 'NaN'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', 'hardware.telemetryIntervalMs', '99999999999999999999'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', 'hardware.telemetryIntervalMs', '1.5'], says: /telemetryIntervalMs/ },
  { args: ['settings', 'set', 'hardware.nope', '1'], says: /no setting called hardware\.nope/ },
  { args: ['settings', 'set', '__proto__.polluted', '1'], says: /dotted path|__proto__/ },
  { args: ['settings', 'set', 'constructor.prototype.polluted', '1'], says: /constructor/ },
  { args: ['settings', 'set', 'prototype', '1'], says: /prototype/ },
  { args: ['settings', 'set', 'general.theme', 'purple'], says: /general\.theme/ },
  { args: ['settings', 'set', 'general', '5'], says: /general/ },
  { args: ['settings', 'set', '', '1'], says: /setting/ },
  { args: ['settings', 'set', 'general..theme', 'dark'], says: /dotted path|not a setting path/ },
  { args: ['settings', 'set', 'general.launchAtLogin', 'maybe'], says: /launchAtLogin/ },
  { args: ['settings', 'set', 'general.theme'], says: /missing argument/ },
  { args: ['settings', 'get', 'nope.nothing'], says: /no setting called nope\.nothing/ },
  { args: ['settings', 'frobnicate'], says: /Unknown settings command/ },
  { args: ['settings', 'set', 'general.theme', 'light', '--bogus'], says: /bogus/ },
  // the tenants' egress fence: a range as wide as everything, a prefix that is not one, an opening not confirmed
  { args: ['settings', 'set', 'stack.allowPrivateEgress', '["0.0.0.0/0"]'], says: /0\.0\.0\.0\/0 is as wide as a whole network/ },
  { args: ['settings', 'set', 'stack.allowPrivateEgress', '["10.0.0.0/999"]'], says: /is not an IPv4 range/ },
  { args: ['settings', 'set', 'stack.allowPrivateEgress', '["10.0.0.5/32"]'], says: /This opens 10\.0\.0\.5\/32 of your own network.*Nothing was changed/ },
  // pricing: prototype keys, wrong values, malformed orders
  { args: ['pricing', 'set', '__proto__.polluted', '1'], says: /__proto__/ },
  { args: ['pricing', 'set', 'constructor.prototype.polluted', '1'], says: /constructor/ },
  { args: ['pricing', 'set', '--', 'power.pricePerKwh', '-1'], says: /pricePerKwh/ },
  { args: ['pricing', 'set', 'power.pricePerKwh', 'abc'], says: /pricePerKwh/ },
  { args: ['pricing', 'set', 'power.pricePerKwh', '1e400'], says: /pricePerKwh/ },
  { args: ['pricing', 'set', 'power.pricePerKwh', 'NaN'], says: /pricePerKwh/ },
  { args: ['pricing', 'set', 'nosuch.key', '1'], says: /nosuch/ },
  { args: ['pricing', 'set', 'power.pricePerKwh'], says: /KEY VALUE pairs/ },
  { args: ['pricing', 'set', '--gpu', 'rtx4090=abc'], says: /MODEL=USD_PER_HOUR/ },
  { args: ['pricing', 'set', '--gpu', '=0.4'], says: /MODEL=USD_PER_HOUR/ },
  { args: ['pricing', 'set', '--gpu', 'rtx4090=-1'], says: /rtx4090|usdPerHour|price/i },
  { args: ['pricing', 'quote', '--order', '/nonexistent/order.json'], says: /Cannot read the order file \/nonexistent\/order\.json/ },
  { args: ['pricing', 'quote', '--order', order('not-json.json')], says: /is not JSON/ },
  { args: ['pricing', 'quote', '--order', order('empty-object.json')], says: /not a bid-engine order: .*resources/ },
  { args: ['pricing', 'quote', '--order', order('array.json')], says: /not a bid-engine order/ },
  { args: ['pricing', 'quote', '--order', order('wrong-types.json')], says: /not a bid-engine order: .*resources/ },
  { args: ['pricing', 'quote', '--order', order('negative-cpu.json')], says: /not a bid-engine order: .*cpu/ },
  { args: ['pricing', 'quote', '--order', order('nan-amount.json')], says: /not a bid-engine order: .*amount/ },
  { args: ['pricing', 'quote'], says: /needs --order FILE/ },
  { args: ['pricing', 'frobnicate'], says: /Unknown pricing command/ },
  // diagnostics: paths that cannot be written
  { args: ['diagnostics', '--export', '/dev/null/riglease.zip'], says: /Cannot write \/dev\/null\/riglease\.zip: .*(not a folder|\/dev\/null: a file with that name already exists)/ },
  { args: ['diagnostics', '--export', '/proc/riglease-diagnostics.zip'], says: /Cannot write \/proc\/riglease-diagnostics\.zip: [a-z].+\(E[A-Z]+\)/ },
  { args: ['diagnostics', '--export', order('report.txt')], says: /must end in \.zip/ },
  { args: ['diagnostics', '--export', ''], says: /needs a file name/ },
  { args: ['diagnostics', '--export', order('exists.zip')], says: /already exists/ },
  // wallet: bad phrases, phrase on the command line, overwrite without --replace, bad sends
  { args: ['wallet', 'import'], stdin: 'hello world', says: /has 12, 15, 18, 21 or 24 words/ },
  { args: ['wallet', 'import'], stdin: 'abandon '.repeat(11) + 'zoo', says: /checksum/ },
  { args: ['wallet', 'import', 'abandon', 'ability'], says: /unexpected argument|never from the command line/ },
  { args: ['wallet', 'import'], stdin: generateMnemonic(), says: /already exists/ },
  { args: ['wallet', 'send', '--to', 'akash1notanaddress', '--uakt', '5', '--yes'], says: /not an Akash address/ },
  { args: ['wallet', 'send', '--to', 'akash1x', '--uakt', '-5'], says: /--uakt|argument/ },
  { args: ['wallet', 'send', '--to', 'akash1x', '--uakt', '1e3'], says: /whole number/ },
  { args: ['wallet', 'send', '--to', 'akash1x', '--amount', 'abc'], says: /amount|AKT/i },
  { args: ['wallet', 'send', '--uakt', '5'], says: /needs --to/ },
  { args: ['wallet', 'reveal'], stdin: '', says: /No passphrase was given/ },
  { args: ['wallet', 'frobnicate'], says: /Unknown wallet command/ },
  // commands and options that do not exist, and numbers out of range
  { args: ['frobnicate'], says: /Unknown command "frobnicate"/ },
  { args: ['serve', '--port', '99999'], says: /--port must be a number from 0 to 65535/ },
  { args: ['serve', '--port', 'NaN'], says: /--port must be a number/ },
  { args: ['serve', '--token', 'short'], says: /--token must be 16 to 256/ },
  // The token travels in a URL fragment and a WebSocket subprotocol: no separators.
  { args: ['serve', '--token', 'aaaaaaaaaaaaaaaa;riglease.v1'], says: /--token must be 16 to 256/ },
  { args: ['hardware', '--bogus'], says: /bogus/ },
];

describe('bad CLI inputs', () => {
  it('every one exits non-zero with a clear message and changes nothing in the data folder', async () => {
    const list = badInputs();
    expect(list.length).toBeGreaterThanOrEqual(40);
    const failures: string[] = [];
    let refusedClearly = 0;
    let changedState = 0;
    for (const bad of list) {
      const before = await hashTree(home);
      const run = await runBundledCli(MAIN, bad.args, env, { timeoutMs: 60_000, ...(bad.stdin === undefined ? {} : { stdin: bad.stdin }) });
      const after = await hashTree(home);
      const label = `riglease ${bad.args.map((a) => JSON.stringify(a)).join(' ')}`;
      const clear = run.code !== 0 && run.code !== null && /^error: .{10,}/m.test(run.stderr) && !/this is a bug|Something went wrong inside/.test(run.stderr) && bad.says.test(run.stderr);
      if (clear) refusedClearly++;
      else failures.push(`${label}: exit ${String(run.code)}, stderr ${JSON.stringify(run.stderr.slice(0, 300))}`);
      if (before !== after) {
        changedState++;
        failures.push(`${label}: changed the data folder`);
      }
    }
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(`bad inputs: ${list.length} tried, ${refusedClearly} refused clearly, ${changedState} changed state`);
    expect(failures).toEqual([]);
  }, 600_000);
});
