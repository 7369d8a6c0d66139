import type { Transport } from '../../../src/api/client.js';
import type { Envelope } from '../../../src/api/envelope.js';

/**
 * The Electron transport: a thin adapter over `window.riglease` from the preload. Main already
 * answers with envelopes; the only thing added here is turning a broken pipe into one too, so
 * screens see the same RigError shape whichever host is behind them.
 */
export function createIpcTransport(bridge: RigleaseBridge): Transport {
  return {
    async invoke(method, input) {
      try {
        return await bridge.call(method, input);
      } catch (err) {
        const envelope: Envelope = {
          ok: false,
          error: {
            code: 'unavailable',
            message: `The app's background agent did not answer ${method}: ${err instanceof Error ? err.message : String(err)}`,
            fix: 'Quit RigLease from the tray menu and open it again.',
          },
        };
        return envelope;
      }
    },
    subscribe(event, listener) {
      return bridge.on(event, listener);
    },
  };
}
