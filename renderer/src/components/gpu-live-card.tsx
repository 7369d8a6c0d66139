import { useState, type ReactNode } from 'react';
import type { TelemetryEvent, TelemetrySample } from '../../../src/api/schemas/hardware.js';
import { useEvent } from '../api/hooks.js';
import { formatNumber, formatPercent, formatTime, formatUnit, share } from '../format.js';
import { Bar, Sparkline } from './sparkline.js';

const HISTORY = 60;

export interface GpuLiveCardProps {
  index: number;
  uuid: string | null;
  /** Shown in the header; the dashboard passes the model, Readiness the index. */
  title?: string;
  /** Fallback totals until the first sample says otherwise. */
  memoryTotalMiB?: number | null;
  powerLimitW?: number | null;
}

/**
 * One GPU's live numbers from `gpu.telemetry`: utilization, temperature, power, memory, each
 * with a bar and a one-minute sparkline. Subscribing is what starts the agent's
 * `nvidia-smi -lms` stream; unmounting the last card stops it.
 */
export function GpuLiveCard({ index, uuid, title, memoryTotalMiB = null, powerLimitW = null }: GpuLiveCardProps): ReactNode {
  const [history, setHistory] = useState<TelemetrySample[]>([]);
  const [lastAt, setLastAt] = useState<number | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [count, setCount] = useState(0);

  useEvent('gpu.telemetry', (e: TelemetryEvent) => {
    if (e.error) {
      setStreamError(e.error);
      return;
    }
    // Match by UUID when both sides know it: indexes can shift when a GPU falls off the bus.
    const sample = e.samples.find((s) => (uuid && s.uuid ? s.uuid === uuid : s.index === index));
    if (!sample) return;
    setStreamError(null);
    setLastAt(e.at);
    setCount((c) => c + 1);
    setHistory((h) => [...h.slice(-(HISTORY - 1)), sample]);
  });

  const now = history[history.length - 1];
  const memTotal = now?.memoryTotalMiB ?? memoryTotalMiB;
  const powerMax = now?.powerLimitW ?? powerLimitW;
  const series = (pick: (s: TelemetrySample) => number | null): (number | null)[] => history.map(pick);

  return (
    <section className="card" data-testid="gpu-live-card" data-gpu-index={index} data-samples={count}>
      <div className="card-header">
        <h3>{title ?? `GPU ${index} live`}</h3>
        <span className="muted small" data-testid="telemetry-updated">
          {lastAt === null ? 'Waiting for the first sample…' : `Updated ${formatTime(lastAt)}`}
        </span>
      </div>
      {streamError ? (
        <div className="badge-warn" role="status">
          Live telemetry stopped: {streamError}
        </div>
      ) : null}
      <Meter
        label="Utilization"
        testId="live-utilization"
        value={formatPercent(now?.utilizationPct)}
        fraction={share(now?.utilizationPct, 100)}
        series={series((s) => s.utilizationPct)}
        max={100}
      />
      <Meter
        label="Temperature"
        testId="live-temperature"
        value={formatUnit(now?.temperatureC, '°C')}
        fraction={share(now?.temperatureC, 100)}
        series={series((s) => s.temperatureC)}
        max={100}
        warm={(now?.temperatureC ?? 0) >= 80}
      />
      <Meter
        label="Power"
        testId="live-power"
        value={`${formatUnit(now?.powerDrawW, 'W', 1)}${powerMax ? ` / ${formatNumber(powerMax)} W` : ''}`}
        fraction={share(now?.powerDrawW, powerMax)}
        series={series((s) => s.powerDrawW)}
        max={powerMax ?? 0}
      />
      <Meter
        label="Memory"
        testId="live-memory"
        value={now?.memoryUsedMiB === null || now === undefined ? '—' : `${formatNumber(now.memoryUsedMiB)} / ${formatNumber(memTotal)} MiB`}
        fraction={share(now?.memoryUsedMiB, memTotal)}
        series={series((s) => s.memoryUsedMiB)}
        max={memTotal ?? 0}
      />
      <div className="muted small">
        Fan {formatPercent(now?.fanPct)} · SM clock {formatUnit(now?.smClockMHz, 'MHz')} · {count} {count === 1 ? 'sample' : 'samples'}
      </div>
    </section>
  );
}

interface MeterProps {
  label: string;
  testId: string;
  value: string;
  fraction: number;
  series: (number | null)[];
  max: number;
  warm?: boolean;
}

function Meter({ label, testId, value, fraction, series, max, warm = false }: MeterProps): ReactNode {
  return (
    <div className="meter">
      <span className="muted">{label}</span>
      <div className="stack">
        <Bar fraction={fraction} label={label} />
        <Sparkline values={series} max={max} warm={warm} label={`${label}, last minute`} />
      </div>
      <span className="meter-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}
