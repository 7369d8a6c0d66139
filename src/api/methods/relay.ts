import { z } from 'zod';
import { method } from '../method.js';
import { RelayInfo, RelayInitInput, RelaySetupScript, RelayStatus, RelayStatusInput } from '../schemas/relay.js';

export const relayMethods = {
  'relay.init': method({
    input: RelayInitInput,
    output: RelayInfo,
    summary: 'Set up the relay on this rig: your server\u2019s address, and both WireGuard key pairs (kept unless newKeys)',
  }),
  'relay.setupScript': method({
    input: z.object({}).strict(),
    output: RelaySetupScript,
    summary: 'The one-command setup for your server (bash, cloud-init, ssh): WireGuard to this rig and the provider ports forwarded. Holds the server\u2019s private key',
    // The output holds the server's private key; keep the call out of IPC logs.
    sensitive: true,
  }),
  'relay.status': method({
    input: RelayStatusInput,
    output: RelayStatus,
    summary: 'Whether the relay answers through the tunnel; checkPorts also tries the provider ports at its public address',
  }),
  'relay.up': method({
    input: z.object({}).strict(),
    output: RelayStatus,
    summary: 'Turn the relay on and bring the tunnel up (kept up while RigLease runs)',
  }),
  'relay.down': method({
    input: z.object({}).strict(),
    output: RelayStatus,
    summary: 'Turn the relay off and take the tunnel down',
  }),
} as const;
