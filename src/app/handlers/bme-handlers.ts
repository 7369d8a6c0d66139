import type { Handler } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import { parseUnits } from '../../provider/chain/money.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { Logger } from '../../util/logger.js';

type BmeMethod = 'wallet.conversions' | 'wallet.convertPreview' | 'wallet.convert' | 'earnings.csv';

function micro(amount: string): bigint {
  const v = parseUnits(amount);
  if (v === null) throw new RigError('invalid_input', `${JSON.stringify(amount)} is not an amount of ACT.`, 'Use a number such as 12.5 (up to 6 decimals).');
  return v;
}

/** ACT → AKT conversions; each one sent is logged with its amount and tx. */
export function bmeHandlers(deps: { chain: () => Promise<ChainService>; logger: Logger }): { [M in BmeMethod]: Handler<M> } {
  const log = deps.logger.child('bme');
  return {
    'wallet.conversions': async () => (await deps.chain()).bme.status(),
    'earnings.csv': async () => {
      const svc = await deps.chain();
      return { csv: await svc.bme.ledgerCsv(svc.leases) };
    },
    'wallet.convertPreview': async ({ amount }) => (await deps.chain()).bme.preview(micro(amount)),
    'wallet.convert': async ({ amount }) => {
      const out = await (await deps.chain()).bme.convert(micro(amount));
      log.info('ACT → AKT conversion queued', { uact: out.conversion.uact, height: out.tx.height, tx: out.tx.hash });
      return out;
    },
  };
}
