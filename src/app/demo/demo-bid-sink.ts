import type { BidConfigSink } from '../pricing/pricing-service.js';

/**
 * Where demo mode's price table goes: the simulated provider keeps it in memory, so the Pricing
 * screen says the same as the (simulated, running) stack — never "Docker is not running", and
 * never a look for a Docker engine the demo must not touch.
 */
export function demoBidSink(): BidConfigSink {
  let table: string | null = null;
  return {
    write: async (config) => {
      table = config;
      return { delivered: true, message: 'Simulated (demo mode): the simulated provider holds the table; nothing is written to Docker.' };
    },
    read: async () => table,
  };
}
