import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The transactions this RigLease sent and saw included, one JSON line each in
 * `state/tx-journal.jsonl` (append-only): hash, block, time, message types, the fee paid (uakt),
 * the escrow payments a withdrawal or close paid (from the tx's own events) and the ACT a
 * MsgBurnACT queued, with the chain oracle's AKT price when it was recorded. It is the source of
 * the CSV's withdrawals and fees. It cannot see transactions sent by another tool with the same
 * key (provider-services' own withdrawals, Keplr, the CLI of another machine): the chain's
 * `tx_search` by sender would, and is not read (README, "Known gaps of money").
 */
export const TxJournalEntry = z.object({
  hash: z.string().regex(/^[0-9A-F]{64}$/),
  height: z.number().int().positive(),
  at: z.string(),
  chainId: z.string(),
  msgTypes: z.array(z.string()),
  feeUakt: z.string().regex(/^\d+$/),
  gasUsed: z.string().regex(/^\d+$/),
  /** Paid to this provider by escrow in this tx (EventPaymentWithdrawn / EventPaymentClosed), per denom, micro. */
  paid: z.array(z.object({ denom: z.string(), amount: z.string().regex(/^\d+$/) })),
  /** ACT queued for conversion by MsgBurnACT in this tx, micro; null when none. */
  burnUact: z.string().regex(/^\d+$/).nullable(),
  /** The chain oracle's USD per AKT when the entry was written; null when it had none. */
  aktUsd: z.string().nullable(),
});
export type TxJournalEntry = z.infer<typeof TxJournalEntry>;

const FILE = 'tx-journal.jsonl';
const PAYMENT_EVENTS = /EventPayment(Withdrawn|Closed)$/;

/** What escrow paid in a tx, from its events: `amount` as "123uact" or a typed event's JSON coin. */
export function paidFromEvents(events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]): { denom: string; amount: string }[] {
  const sums = new Map<string, bigint>();
  for (const e of events) {
    if (!PAYMENT_EVENTS.test(e.type)) continue;
    for (const a of e.attributes) {
      if (a.key !== 'amount') continue;
      const coin = parseCoin(a.value);
      if (coin) sums.set(coin.denom, (sums.get(coin.denom) ?? 0n) + coin.amount);
    }
  }
  return [...sums].map(([denom, amount]) => ({ denom, amount: amount.toString() }));
}

function parseCoin(v: string): { denom: string; amount: bigint } | null {
  const plain = /^(\d+)([a-z][a-z0-9/]*)$/.exec(v.trim());
  if (plain) return { amount: BigInt(plain[1]!), denom: plain[2]! };
  try {
    const j = z.object({ denom: z.string(), amount: z.string().regex(/^\d+(\.\d+)?$/) }).parse(JSON.parse(v));
    return { denom: j.denom, amount: BigInt(j.amount.split('.')[0]!) };
  } catch {
    return null;
  }
}

export class TxJournal {
  constructor(private readonly stateDir: string) {}

  async append(entry: TxJournalEntry): Promise<void> {
    await mkdir(this.stateDir, { recursive: true });
    await appendFile(path.join(this.stateDir, FILE), `${JSON.stringify(TxJournalEntry.parse(entry))}\n`, { mode: 0o600 });
  }

  /** Every valid entry of `chainId`, oldest first; lines that do not parse are counted, not guessed at. */
  async read(chainId: string): Promise<{ entries: TxJournalEntry[]; unreadable: number }> {
    const text = await readFile(path.join(this.stateDir, FILE), 'utf8').catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    });
    const entries: TxJournalEntry[] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = TxJournalEntry.parse(JSON.parse(line));
        if (e.chainId === chainId) entries.push(e);
      } catch {
        unreadable++;
      }
    }
    return { entries, unreadable };
  }
}

/** The journal line for an included tx: its fee, what escrow paid in it (events), what it queued for conversion. */
export function journalEntry(
  out: { hash: string; height: number; gasUsed: bigint; feeUakt: bigint; events?: { type: string; attributes: { key: string; value: string }[] }[] },
  msgs: readonly { typeUrl: string; value: unknown }[],
  chainId: string,
  at: Date,
  aktUsd: string | null,
): TxJournalEntry {
  let burn: bigint | null = null;
  for (const m of msgs) {
    if (!m.typeUrl.endsWith('.MsgBurnACT')) continue;
    const amount = (m.value as { coinsToBurn?: { amount?: string } }).coinsToBurn?.amount;
    if (amount && /^\d+$/.test(amount)) burn = (burn ?? 0n) + BigInt(amount);
  }
  return {
    hash: out.hash.toUpperCase(),
    height: out.height,
    at: at.toISOString(),
    chainId,
    msgTypes: msgs.map((m) => m.typeUrl),
    feeUakt: out.feeUakt.toString(),
    gasUsed: out.gasUsed.toString(),
    paid: paidFromEvents(out.events ?? []),
    burnUact: burn === null ? null : burn.toString(),
    aktUsd,
  };
}
