import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TestChain } from './chain.js';
import { ChainNodeServer } from './server.js';

/**
 * Simulated chain entry point (tests and the demo): `node --import tsx src/simulation/chain-node/main.ts --port N --seed FILE
 * [--chain-id ID] [--block-time-ms MS]`. Prints the URL on stdout, then serves until killed.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '26657' },
    seed: { type: 'string' },
    'chain-id': { type: 'string', default: 'riglease-testnode-1' },
    'block-time-ms': { type: 'string', default: '6000' },
  },
});

const chain = new TestChain(values['chain-id']);
if (values.seed) chain.seed(JSON.parse(await readFile(values.seed, 'utf8')));
const server = new ChainNodeServer(chain);
const url = await server.listen(Number(values.port));
// Empty blocks on a timer so escrow accrues in a demo the way it does on a live chain (~6 s blocks).
const blockMs = Number(values['block-time-ms']);
const timer = blockMs > 0 ? setInterval(() => chain.advance(1), blockMs) : null;
process.stdout.write(`riglease chain test node (a test tool, not an Akash node) on ${url} chain-id ${chain.state.chainId}\n`);
const stop = async () => {
  if (timer) clearInterval(timer);
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
