/**
 * The arithmetic of the hand-drawn SVG charts: round axis ticks and linear maps from values to
 * pixels. (A charting library was most of the renderer's JavaScript; two small charts need this.)
 */

/** Round tick values covering [min, max] (both included), about `count` of them: steps of 1, 2, 2.5 or 5 × 10ⁿ. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    // One value: an axis from 0 to it (or around 0 when it is 0).
    if (min === 0) return [0, 1];
    [min, max] = min > 0 ? [0, min] : [min, 0];
  }
  const rough = (max - min) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's own precision, so 0.1 + 0.2 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = first; v < max + step / 2; v += step) ticks.push(Number(v.toFixed(digits)));
  if ((ticks.at(-1) ?? max) < max) ticks.push(Number((first + ticks.length * step).toFixed(digits)));
  return ticks;
}

/** A linear map from [d0, d1] onto [r0, r1]; a zero-width domain maps to the range's middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/**
 * Which of `n` evenly spaced labels to print so that none overlap: every `step`-th, where a label
 * is about `chars` characters of an 11–12 px font and needs `gap` px beside it.
 */
export function labelStep(n: number, slotPx: number, chars: number, fontPx: number, gap = 18): number {
  if (n <= 1 || slotPx <= 0) return 1;
  const need = chars * fontPx * 0.6 + gap;
  return Math.max(1, Math.ceil(need / slotPx));
}
