import { describe, expect, it } from 'vitest';
import { ChainSettings, DEFAULT_RPC } from '../api/schemas/settings/chain.js';
import { StackSettings } from '../api/schemas/settings/stack.js';
import { rtx4090Report } from '../simulation/chain-node/sample-report.js';
import { buildAttributes } from '../provider/chain/index.js';
import { alignStackWithChain } from './chain-stack-settings.js';

const chain = ChainSettings.parse({ provider: { hostUri: 'https://provider.rig.example.com:8443', email: 'ops@example.com', website: 'https://rig.example.com', locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' } });

describe('the provider chart follows the wallet network and the registration', () => {
  it('a sandbox wallet gets the sandbox chain id and node, not the mainnet defaults', () => {
    const s = alignStackWithChain(StackSettings.parse({}), { network: 'sandbox', chain, env: {}, report: rtx4090Report() });
    expect({ chainId: s.chainId, rpcNode: s.rpcNode }).toEqual({ chainId: 'sandbox-01', rpcNode: DEFAULT_RPC.sandbox[0] });
  });

  it('keeps an RPC node and a domain the user set; otherwise the domain comes from the registered host', () => {
    const own = alignStackWithChain(StackSettings.parse({ rpcNode: 'https://my-node.example.net:443', domain: 'other.example.net' }), { network: 'mainnet', chain, env: {}, report: null });
    expect({ rpcNode: own.rpcNode, domain: own.domain }).toEqual({ rpcNode: 'https://my-node.example.net:443', domain: 'other.example.net' });
    expect(alignStackWithChain(StackSettings.parse({}), { network: 'mainnet', chain, env: {}, report: null }).domain).toBe('rig.example.com');
  });

  it('attributes, email and website are exactly what registration publishes for the same scan', () => {
    const stack = StackSettings.parse({ attributes: [{ key: 'host', value: 'akash' }, { key: 'hardware-cooling', value: 'water' }] });
    const s = alignStackWithChain(stack, { network: 'mainnet', chain, env: {}, report: rtx4090Report() });
    expect(s.attributes).toEqual(buildAttributes(rtx4090Report(), chain.provider).attributes);
    expect(s.attributes.map((a) => a.key)).toEqual(expect.arrayContaining(['location-region', 'capabilities/memory', 'capabilities/gpu/vendor/nvidia/model/rtx4090']));
    expect({ email: s.email, website: s.website }).toEqual({ email: 'ops@example.com', website: 'https://rig.example.com' });
  });
});
