import { z } from 'zod';
import { method } from '../method.js';
import {
  ConfirmWord,
  Earnings,
  LeasePage,
  MicroAmount,
  NetworkView,
  ProviderOnChain,
  ProviderRegisterResult,
  SendPreview,
  WalletCreated,
  WalletInfo,
  WalletRevealed,
  WalletStatus,
  WithdrawStart,
} from '../schemas/chain.js';
import { TaskRef } from '../schemas/task.js';

const RpcUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'an RPC endpoint is an http(s) URL');
const Replace = z.boolean().default(false);

/** The wallet and the provider's life on the Akash chain (issue 4). */
export const chainMethods = {
  'wallet.status': method({
    input: z.object({}).strict(),
    output: WalletStatus,
    summary: 'The wallet: address, AKT/USDC balances and the shortfall a provider still needs (balance null when offline)',
  }),
  'wallet.info': method({
    input: z.object({}).strict(),
    output: WalletInfo,
    summary: 'Whether a wallet exists, its address and how its key is protected (never asks the chain)',
  }),
  'wallet.create': method({
    input: z.object({ replace: Replace }).strict(),
    output: WalletCreated,
    summary: 'A new 24-word wallet, shown ONCE; it is saved only after wallet.confirmBackup',
    sensitive: true,
  }),
  'wallet.confirmBackup': method({
    input: z.object({ pendingId: z.string().min(1).max(64), words: z.array(ConfirmWord).length(3), replace: Replace }).strict(),
    output: WalletInfo,
    summary: 'Prove the new phrase was written down (three words by position); then the wallet is saved',
    sensitive: true,
  }),
  'wallet.import': method({
    input: z.object({ mnemonic: z.string().min(1).max(1000), replace: Replace }).strict(),
    output: WalletInfo,
    summary: 'Import a wallet from its 12–24 word recovery phrase',
    sensitive: true,
  }),
  'wallet.previewSend': method({
    input: z.object({ to: z.string().min(1).max(100), amountUakt: MicroAmount }).strict(),
    output: SendPreview,
    summary: 'What a send would do: amount, simulated fee, total and what is left (nothing is signed)',
  }),
  'wallet.send': method({
    input: z.object({ previewId: z.string().min(1).max(64), confirm: z.boolean() }).strict(),
    output: TaskRef,
    summary: 'Send AKT after a preview; needs confirm: true. A task whose result is the tx receipt',
  }),
  'wallet.reveal': method({
    input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    output: WalletRevealed,
    summary: 'Show the recovery phrase after the passphrase is entered again',
    sensitive: true,
  }),
  'network.get': method({ input: z.object({}).strict(), output: NetworkView, summary: 'Network (mainnet/sandbox), chain id, RPC endpoints in failover order and their health' }),
  'network.set': method({
    input: z.object({ network: z.enum(['mainnet', 'sandbox']).optional(), customRpc: z.array(RpcUrl).max(10).optional() }).strict(),
    output: NetworkView,
    summary: 'Switch network and/or set your own RPC nodes (tried before the public ones)',
  }),
  'provider.show': method({ input: z.object({}).strict(), output: ProviderOnChain, summary: 'This wallet’s provider record and certificates on chain' }),
  'provider.register': method({
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: ProviderRegisterResult,
    summary: 'Register (MsgCreateProvider, or MsgUpdateProvider when it exists) + certificate; dryRun shows messages, attributes and fee',
  }),
  'provider.update': method({
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: ProviderRegisterResult,
    summary: 'Update the registered provider from the current hardware and settings; dryRun shows the changes',
  }),
  'leases.list': method({
    input: z
      .object({
        state: z.enum(['active', 'insufficient_funds', 'closed', 'reclaiming']).optional(),
        limit: z.number().int().min(1).max(1000).default(50),
        /** `nextKey` of the previous page. */
        key: z.string().max(512).nullable().default(null),
      })
      .strict(),
    output: LeasePage,
    summary: 'This provider’s leases with escrow, one page at a time (filter by state)',
  }),
  'earnings.get': method({
    input: z.object({ usdPerAkt: z.number().positive().max(1_000_000).optional() }).strict(),
    output: Earnings,
    summary: 'Earnings accrued in the last day / week / month and lifetime, withdrawn and pending withdrawal, in the leases\' denom (ACT since BME, 1 ACT = $1) with USD and the AKT equivalent',
  }),
  'leases.withdraw': method({
    input: z.object({ dryRun: z.boolean().default(false) }).strict(),
    output: WithdrawStart,
    summary: 'Withdraw escrow from every active lease (MsgWithdrawLease, batched); a task',
  }),
} as const;
