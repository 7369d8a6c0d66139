import type { Handler } from '../../api/dispatch.js';
import type { RelayService } from '../../provider/network/relay-service.js';

/** The relay's methods; the service is passed in (not the Agent) so a test can bind it alone. */
export function relayHandlers(relay: RelayService): {
  'relay.init': Handler<'relay.init'>;
  'relay.setupScript': Handler<'relay.setupScript'>;
  'relay.status': Handler<'relay.status'>;
  'relay.up': Handler<'relay.up'>;
  'relay.down': Handler<'relay.down'>;
} {
  return {
    'relay.init': async (input) => relay.init(input),
    'relay.setupScript': async () => relay.setupScript(),
    'relay.status': async ({ checkPorts }) => relay.status({ checkPorts }),
    'relay.up': async () => relay.up(),
    'relay.down': async () => relay.down(),
  };
}
