import type { TelemetrySample } from '../../api/schemas/hardware.js';
import { numberOrNull, textOrNull } from '../nvidia/values.js';

/** The columns we ask for, in order; the parser relies on this order. */
export const TELEMETRY_FIELDS = [
  'index',
  'uuid',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
  'clocks.sm',
] as const;

export function telemetryArgs(intervalMs: number): string[] {
  return [`--query-gpu=${TELEMETRY_FIELDS.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(Math.round(intervalMs))];
}

/**
 * One `--format=csv,noheader,nounits` row → a sample, or null for a line that is not one
 * (an error message, a header, a cut-off line). `[N/A]`, `[Not Supported]` and blanks → null.
 */
export function parseTelemetryLine(line: string): TelemetrySample | null {
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length !== TELEMETRY_FIELDS.length) return null;
  const index = Number(cells[0]);
  if (!Number.isInteger(index) || index < 0) return null;
  const n = (i: number) => numberOrNull(cells[i]);
  return {
    index,
    uuid: textOrNull(cells[1]),
    utilizationPct: n(2),
    memoryUsedMiB: n(3),
    memoryTotalMiB: n(4),
    temperatureC: n(5),
    powerDrawW: n(6),
    powerLimitW: n(7),
    fanPct: n(8),
    smClockMHz: n(9),
  };
}

/**
 * nvidia-smi writes one row per GPU each period, all at once. Rows are grouped into one batch
 * until a GPU index repeats (the next period began) or the stream goes quiet for `quietMs`.
 */
export class TelemetryBatcher {
  private pending: TelemetrySample[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Lines that were not samples (counted so diagnostics can tell garbage from silence). */
  rejected = 0;

  constructor(
    private readonly onBatch: (samples: TelemetrySample[]) => void,
    private readonly quietMs = 30,
  ) {}

  push(line: string): void {
    if (line.trim() === '') return;
    const sample = parseTelemetryLine(line);
    if (!sample) {
      this.rejected++;
      return;
    }
    if (this.pending.some((s) => s.index === sample.index)) this.flush();
    this.pending.push(sample);
    this.timer ??= setTimeout(() => this.flush(), this.quietMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending.sort((a, b) => a.index - b.index);
    this.pending = [];
    this.onBatch(batch);
  }

  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
