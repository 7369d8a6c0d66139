/**
 * The stability run's telemetry: `nvidia-smi --query-gpu=<STABILITY_FIELDS> --format=csv`.
 * Rows are read by header name (units such as ` [W]` stripped), so the same parser reads a
 * short query and a capture of every field. Drivers from 535 on name the slowdown mask
 * `clocks_event_reasons.active`; older ones `clocks_throttle_reasons.active` — both are read.
 */

export const STABILITY_FIELDS = [
  'index',
  'uuid',
  'name',
  'temperature.gpu',
  'clocks.current.sm',
  'clocks.max.sm',
  'power.draw',
  'power.limit',
  'utilization.gpu',
] as const;
export const EVENT_REASONS_FIELD = 'clocks_event_reasons.active';
export const THROTTLE_REASONS_FIELD = 'clocks_throttle_reasons.active';

export interface StabilitySample {
  index: number;
  uuid: string | null;
  name: string | null;
  temperatureC: number | null;
  smClockMHz: number | null;
  maxSmClockMHz: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  utilizationPct: number | null;
  /** Bitmask of active clock slowdown reasons; null when the driver would not say. */
  reasonsMask: number | null;
}

/** nvmlClocksEventReasons bits (nvml.h), named as nvidia-smi's own query fields name them. */
export const REASON_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'gpu_idle'],
  [0x2, 'applications_clocks_setting'],
  [0x4, 'sw_power_cap'],
  [0x8, 'hw_slowdown'],
  [0x10, 'sync_boost'],
  [0x20, 'sw_thermal_slowdown'],
  [0x40, 'hw_thermal_slowdown'],
  [0x80, 'hw_power_brake_slowdown'],
  [0x100, 'display_clock_setting'],
];

/** Reasons that mean the card ran slower than it could under load (idle and settings are not). */
export const SLOWDOWN_REASONS = new Set(['sw_power_cap', 'hw_slowdown', 'sw_thermal_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown']);

export function decodeReasons(mask: number | null): string[] {
  if (mask === null) return [];
  return REASON_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
}

export function parseStabilityCsv(text: string): StabilitySample[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) return [];
  const header = splitCsv(lines[0]!).map((h) => h.replace(/\s*\[[^\]]*\]\s*$/, '').trim());
  const col = (row: string[], ...names: string[]): string | null => {
    for (const name of names) {
      const i = header.indexOf(name);
      if (i >= 0 && row[i] !== undefined) return row[i]!;
    }
    return null;
  };
  return lines.slice(1).map((line, i) => {
    const row = splitCsv(line);
    const index = num(col(row, 'index'));
    return {
      index: index ?? i,
      uuid: text_(col(row, 'uuid')),
      name: text_(col(row, 'name')),
      temperatureC: num(col(row, 'temperature.gpu')),
      smClockMHz: num(col(row, 'clocks.current.sm', 'clocks.sm')),
      maxSmClockMHz: num(col(row, 'clocks.max.sm', 'clocks.max.sm')),
      powerDrawW: num(col(row, 'power.draw')),
      powerLimitW: num(col(row, 'power.limit')),
      utilizationPct: num(col(row, 'utilization.gpu')),
      reasonsMask: hex(col(row, EVENT_REASONS_FIELD, THROTTLE_REASONS_FIELD)),
    };
  });
}

/** nvidia-smi quotes nothing; values never contain commas except GPU names, which it also leaves bare, so split on ", ". */
function splitCsv(line: string): string[] {
  return line.split(/,\s*/).map((v) => v.trim());
}

function isMissing(v: string | null): boolean {
  return v === null || v === '' || /^\[?(N\/A|Not Supported|Unknown Error|Requested functionality has been deprecated|Insufficient Permissions)\]?$/i.test(v);
}

function num(v: string | null): number | null {
  if (isMissing(v)) return null;
  const m = /^-?\d+(\.\d+)?/.exec(v!);
  return m ? Number(m[0]) : null;
}

function hex(v: string | null): number | null {
  if (isMissing(v)) return null;
  return /^0x[0-9a-f]+$/i.test(v!) ? Number.parseInt(v!.slice(2), 16) : null;
}

function text_(v: string | null): string | null {
  return isMissing(v) ? null : v;
}
