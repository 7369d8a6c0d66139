/**
 * How numbers are shown. One place, so the readiness screen, the dashboard and the e2e tests
 * agree on what "24 GB" means. Numbers use the viewer's locale; `null` (the hardware would
 * not say) is shown as an em dash, never as 0.
 */
const DASH = '—';

/**
 * One formatter per precision, made once: `toLocaleString` with options builds a new
 * Intl.NumberFormat on every call, which the live GPU cards would pay several times a second.
 */
const formatters = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  let f = formatters.get(digits);
  if (!f) formatters.set(digits, (f = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
  return f.format(value);
}

/**
 * VRAM in whole GiB, rounded: nvidia-smi reports 24564 MiB for a "24 GB" RTX 4090, which is
 * 24 GiB. Labelled GiB because it is counted in 1024s. Below 1 GiB the MiB figure is clearer.
 */
export function formatVram(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return DASH;
  if (mib < 1024) return `${formatNumber(mib)} MiB`;
  return `${formatNumber(Math.round(mib / 1024))} GiB`;
}

/** RAM and disk: GiB with one decimal, because "15.5 GiB free" is the useful precision. */
export function formatGiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return DASH;
  return `${formatNumber(mib / 1024, 1)} GiB`;
}

export function formatMiB(mib: number | null | undefined): string {
  return mib === null || mib === undefined ? DASH : `${formatNumber(mib)} MiB`;
}

export function formatUnit(value: number | null | undefined, unit: string, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${formatNumber(value, digits)} ${unit}`;
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${formatNumber(value)} %`;
}

export function formatYesNo(value: boolean | null | undefined, yes = 'Yes', no = 'No'): string {
  if (value === null || value === undefined) return 'Unknown';
  return value ? yes : no;
}

export function formatTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString();
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${formatNumber(ms / 1000, 1)} s`;
}

/** 0..1 share of `value` in `max`, for bars; 0 when either is unknown. */
export function share(value: number | null | undefined, max: number | null | undefined): number {
  if (value === null || value === undefined || max === null || max === undefined || max <= 0) return 0;
  return Math.max(0, Math.min(1, value / max));
}
