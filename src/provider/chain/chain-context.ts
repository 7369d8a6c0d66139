import type { EncodeObject, Registry } from '@cosmjs/proto-signing';
import type { ChainSettings } from '../../api/schemas/settings/chain.js';
import type { Logger } from '../../util/logger.js';
import { ChainClient } from './chain-client.js';
import type { EndpointHealthStore, PersistedEndpoint } from './endpoint-health-store.js';
import { resolveNetwork, type NetworkName, type NetworkProfile } from './network.js';
import { akashRegistry } from './registry.js';
import { TxSender, type TxOutcome } from './tx-sender.js';
import { aktUsd } from './bme-service.js';
import { journalEntry, type TxJournal } from './tx-journal.js';

export interface ChainHandle {
  profile: NetworkProfile;
  client: ChainClient;
  sender: TxSender;
  registry: Registry;
}

/**
 * Builds the chain client for the current settings and rebuilds it only when the network or
 * endpoints change, so endpoint health survives between calls.
 */
export class ChainContext {
  private current: { key: string; handle: ChainHandle } | null = null;
  readonly registry = akashRegistry();

  constructor(
    private readonly settings: () => Promise<{ network: NetworkName; chain: ChainSettings }>,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
    /** Where endpoint health is remembered across restarts; none = this run only. */
    private readonly healthStore?: EndpointHealthStore,
    /** Where included txs are recorded (the CSV's withdrawals and fees); none = not recorded. */
    private readonly journal?: TxJournal,
  ) {}

  async get(): Promise<ChainHandle> {
    const { network, chain } = await this.settings();
    const profile = resolveNetwork(network, chain, this.env);
    const key = JSON.stringify(profile);
    if (this.current?.key === key) return this.current.handle;
    const store = this.healthStore;
    const memory = store ? { initial: await store.load(), save: (e: PersistedEndpoint[]) => void store.save(e) } : undefined;
    // Another call may have built it while the file was read.
    if (this.current?.key === key) return this.current.handle;
    this.current?.handle.client.disconnect();
    const client = new ChainClient(profile, this.logger, memory);
    const journal = this.journal;
    // The oracle price is read when the tx is recorded, so the CSV values each fee and payment at its time.
    const record = journal
      ? async (out: TxOutcome, msgs: readonly EncodeObject[]) => journal.append(journalEntry(out, msgs, profile.chainId, new Date(), await aktUsd(client).catch(() => null)))
      : undefined;
    const handle = { profile, client, sender: new TxSender(client, this.registry, this.logger, record), registry: this.registry };
    this.current = { key, handle };
    return handle;
  }

  stop(): void {
    this.current?.handle.client.disconnect();
    this.current = null;
  }
}
