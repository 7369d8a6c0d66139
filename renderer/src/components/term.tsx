import type { ReactNode } from 'react';

/** Chain words in plain words: shown on hover and to screen readers wherever the word appears. */
export const GLOSSARY = {
  uakt: 'micro-AKT: 1 AKT is 1,000,000 uakt.',
  uact: 'micro-ACT: 1 ACT is 1,000,000 uact (ACT is the dollar-pegged token Akash leases are paid in).',
  escrow: 'Money the tenant set aside on the chain for this lease. It becomes yours as the lease runs; you collect it with Withdraw.',
  dseq: "The lease's number on the chain: the tenant's deployment (dseq), its group (gseq) and the order (oseq) you won.",
  block: 'The Akash chain adds a block about every 6 seconds; lease prices are set per block.',
  hdPath: 'Which key your 24 words produce. This is the standard one for Akash wallets: you never need to change it.',
} as const;
export type TermKey = keyof typeof GLOSSARY;

/** A chain word with its meaning a hover or a focus away (dotted underline, like an abbreviation). */
export function Term({ k, children }: { k: TermKey; children?: ReactNode }): ReactNode {
  return (
    <abbr className="term" title={GLOSSARY[k]} tabIndex={0} data-term={k}>
      {children ?? k}
    </abbr>
  );
}

/** A denomination with its meaning when it is one the glossary knows ("uakt", "uact"). */
export function Denom({ denom }: { denom: string }): ReactNode {
  return denom === 'uakt' || denom === 'uact' ? <Term k={denom} /> : <>{denom}</>;
}
