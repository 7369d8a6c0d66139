import { describe, expect, it } from 'vitest';
import { accruedAtomics, atomicsToMicro, averageBlockSeconds, blockAt, blocksIn, priceAtomicsOf, windowBlocks, type AccrualSpan } from './accrual.js';

const E18 = 10n ** 18n;
const H = 1_000_000;
/** A third of a uakt per block, as the chain holds it (18 decimals): floats would round it up. */
const THIRD = 333_333_333_333_333_333n;

describe('accrual: price × blocks inside a window, exact', () => {
  // Window (from, to] = the last 14,400 blocks before height H (a day at 6 s).
  const from = H - 14_400;
  const cases: { name: string; span: AccrualSpan; blocks: bigint; micro: bigint }[] = [
    { name: 'open lease that started before the window: the whole window', span: { createdAt: H - 20_000, closedOn: 0, priceAtomics: 25n * 10n ** 17n }, blocks: 14_400n, micro: 36_000n },
    { name: 'open lease that started inside the window: from its start', span: { createdAt: H - 100, closedOn: 0, priceAtomics: 7n * E18 }, blocks: 100n, micro: 700n },
    { name: 'started before, closed inside: window start to close', span: { createdAt: H - 50_000, closedOn: H - 400, priceAtomics: 2n * E18 }, blocks: 14_000n, micro: 28_000n },
    { name: 'started and closed inside', span: { createdAt: H - 1_000, closedOn: H - 10, priceAtomics: E18 }, blocks: 990n, micro: 990n },
    { name: 'closed before the window: nothing', span: { createdAt: H - 90_000, closedOn: from, priceAtomics: 9n * E18 }, blocks: 0n, micro: 0n },
    { name: 'created at the current height: nothing yet', span: { createdAt: H, closedOn: 0, priceAtomics: 9n * E18 }, blocks: 0n, micro: 0n },
    { name: 'a fractional Dec price is floored once, at the end', span: { createdAt: H - 20_000, closedOn: 0, priceAtomics: THIRD }, blocks: 14_400n, micro: 4_799n },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(blocksIn(c.span, from, H, H)).toBe(c.blocks);
      expect(atomicsToMicro(accruedAtomics([c.span], from, H, H))).toBe(c.micro);
    });
  }

  it('sums in atomics and floors once: per lease floors would lose micro units, floats would gain them', () => {
    // 3 leases × 0.35 uakt × 10 blocks = 10.5 → 10 (flooring each lease's 3.5 first would give 9).
    const spans = [1, 2, 3].map(() => ({ createdAt: H - 10, closedOn: 0, priceAtomics: 35n * 10n ** 16n }));
    expect(atomicsToMicro(accruedAtomics(spans, 0, H, H))).toBe(10n);
    // 3 × 0.333333333333333333 × 10 = 9.99999999999999999 → 9; a float sum shows 10.
    const thirds = [1, 2, 3].map(() => ({ createdAt: H - 10, closedOn: 0, priceAtomics: THIRD }));
    expect(atomicsToMicro(accruedAtomics(thirds, 0, H, H))).toBe(9n);
    expect((Number(THIRD) / 1e18) * 30).toBe(10);
  });

  it('adjacent windows partition the blocks: their sums add up to the whole', () => {
    const spans: AccrualSpan[] = [
      { createdAt: H - 5_000, closedOn: H - 1_234, priceAtomics: 3n * E18 + 1n },
      { createdAt: H - 777, closedOn: 0, priceAtomics: THIRD },
    ];
    const whole = accruedAtomics(spans, 0, H, H);
    const parts = [0, H - 3_000, H - 1_000, H - 100].map((f, i, a) => accruedAtomics(spans, f, a[i + 1] ?? H, H));
    expect(parts.reduce((x, y) => x + y, 0n)).toBe(whole);
  });

  it('never counts past the current height, even for a window that reaches beyond it', () => {
    expect(blocksIn({ createdAt: H - 10, closedOn: 0 }, H - 100, H + 500, H)).toBe(10n);
  });

  it('takes the chain’s exact price when the row has it, else the micro number', () => {
    expect(priceAtomicsOf({ pricePerBlock: 0.333333, priceAtomics: THIRD.toString() })).toBe(THIRD);
    expect(priceAtomicsOf({ pricePerBlock: 2.5 })).toBe(25n * 10n ** 17n);
  });
});

describe('block time', () => {
  it('averages two headers and refuses what cannot be measured', () => {
    expect(averageBlockSeconds({ height: 100, timeMs: 0 }, { height: 600, timeMs: 3_000_000 })).toBe(6);
    expect(averageBlockSeconds({ height: 600, timeMs: 0 }, { height: 600, timeMs: 1 })).toBeNull();
    expect(averageBlockSeconds({ height: 100, timeMs: 5 }, { height: 600, timeMs: 5 })).toBeNull();
  });

  it('turns windows into blocks and moments into block heights', () => {
    expect(windowBlocks(86_400, 6)).toBe(14_400);
    expect(windowBlocks(86_400, 6.117)).toBe(14_125);
    expect(() => windowBlocks(86_400, 0)).toThrow(/bad block time/);
    const now = Date.UTC(2026, 10, 30, 12);
    expect(blockAt(now - 3_600_000, H, now, 6)).toBe(H - 600);
    expect(blockAt(now, H, now, 6)).toBe(H);
  });
});
