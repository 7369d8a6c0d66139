import type { ClientSchemas } from './client.js';
import { contract } from './contract.js';
import { events } from './events.js';

/** The whole contract's schemas, built at import: for a client in the agent's own process. */
export const contractSchemas: ClientSchemas = {
  output: (method) => contract[method].output,
  event: (event) => events[event],
};
