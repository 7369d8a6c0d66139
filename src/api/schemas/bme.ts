import { z } from 'zod';
import { MicroAmount, TxReceipt } from './chain.js';

/** x/bme's circuit breaker (akash.bme.v1 MintStatus), by name. */
export const MintStatusName = z.enum(['unspecified', 'healthy', 'warning', 'halt_cr', 'halt_oracle']);

/** A decimal as the chain gives it (LegacyDec), e.g. "1.14". Kept as text: never a float. */
export const DecimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number');

export const Conversion = z.object({
  /** The ledger record id: the block the request was queued in and its sequence there. */
  height: z.number().int(),
  sequence: z.number().int(),
  status: z.enum(['pending', 'executed', 'canceled']),
  uact: MicroAmount,
  /** Executed: AKT minted at the oracle price, the vault's settle spread, and what reached the wallet. */
  mintedUakt: MicroAmount.nullable(),
  spreadUakt: MicroAmount.nullable(),
  paidUakt: MicroAmount.nullable(),
  /** USD per AKT the conversion was executed at. */
  aktUsd: DecimalText.nullable(),
});
export type Conversion = z.infer<typeof Conversion>;

export const BmeStatus = z.object({
  status: MintStatusName,
  /** Whether ACT → AKT conversions are accepted now (refused only when the oracle halted them). */
  conversionsAllowed: z.boolean(),
  /** Whether new ACT is minted now (tenants); false while the collateral ratio is too low. */
  mintsAllowed: z.boolean(),
  collateralRatio: DecimalText,
  settleSpreadBps: z.number().int(),
  /** Conversions settle at the next burn epoch: at most this many blocks after the request. */
  epochBlocks: z.number().int(),
  /** The oracle's AKT price in USD (TWAP), null when the oracle has none or it is unhealthy. */
  aktUsd: DecimalText.nullable(),
  /** What the circuit breaker means for the user, in words. */
  note: z.string(),
  conversions: z.array(Conversion),
});
export type BmeStatus = z.infer<typeof BmeStatus>;

export const ConvertPreview = z.object({
  uact: MicroAmount,
  allowed: z.boolean(),
  whyNot: z.string().nullable(),
  aktUsd: DecimalText.nullable(),
  settleSpreadBps: z.number().int(),
  /** At the current price: AKT minted, the spread kept by the vault, what reaches the wallet. */
  expectedMintedUakt: MicroAmount.nullable(),
  expectedSpreadUakt: MicroAmount.nullable(),
  expectedPaidUakt: MicroAmount.nullable(),
  epochBlocks: z.number().int(),
  /** Height by which the next burn epoch has run (latest height + epochBlocks). */
  settlesByHeight: z.number().int(),
  feeUakt: MicroAmount.nullable(),
  status: MintStatusName,
  whatHappens: z.array(z.string()),
});
export type ConvertPreview = z.infer<typeof ConvertPreview>;

export const ConvertResult = z.object({
  conversion: Conversion,
  settlesByHeight: z.number().int(),
  tx: TxReceipt,
});
export type ConvertResult = z.infer<typeof ConvertResult>;
