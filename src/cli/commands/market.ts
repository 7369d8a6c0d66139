import { parseCommandArgs, type CliCommand } from '../command.js';
import { formatMarket } from '../format/pricing.js';
import { callAndPrint } from '../run-method.js';
import { MARKET_ORDERS_HELP, runMarketOrders } from './market-orders.js';

export const marketCommand: CliCommand = {
  name: 'market',
  summary: 'GPU prices and availability on the Akash market (Console API), cached for offline use',
  help: () => `Usage: riglease market [--cached] [--json]
${MARKET_ORDERS_HELP}

Fetches GPU prices per model (median USD per GPU-hour, free/total GPUs) and the AKT price from
the Akash Console API (RIGLEASE_MARKET_URL or pricing.marketUrl overrides it) and keeps them.
When the API cannot be reached, the last snapshot is shown with its age and "offline".

Options:
  --cached  do not fetch; show the last snapshot
  --json    print the MarketView object`,
  run: async (args, ctx) => {
    if (args[0] === 'orders' || args[0] === 'open-orders') return runMarketOrders(args[0], args.slice(1), ctx);
    const { values } = parseCommandArgs('market', args, { json: { type: 'boolean', default: false }, cached: { type: 'boolean', default: false } });
    return callAndPrint(ctx, 'market.gpuPrices', { refresh: !values.cached }, { json: values.json, human: formatMarket });
  },
};
