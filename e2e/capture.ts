import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a test expects to see, read straight from the real nvidia-smi capture the fake replays,
 * independently of the app's own parser: if the parser or the screen gets a value wrong, the
 * test sees the difference.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `shared/` sits beside the repository (here and in CI); RIGLEASE_SHARED_DIR overrides. */
export const sharedDir = process.env.RIGLEASE_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const capturesDir = path.join(sharedDir, 'fixtures', 'nvidia-smi');

export interface CapturedGpu {
  name: string;
  uuid: string;
  vramMiB: number;
  driverVersion: string;
  utilizationPct: number | null;
  temperatureC: number | null;
  processCount: number;
}

function tag(text: string, name: string): string | null {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
  return m?.[1]?.trim() ?? null;
}

function section(text: string, name: string): string {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1] ?? '';
}

function leadingNumber(v: string | null): number | null {
  const m = v === null ? null : /^(-?\d+(?:\.\d+)?)/.exec(v);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export function readCapture(file: string): CapturedGpu[] {
  const xml = readFileSync(path.join(capturesDir, file), 'utf8');
  const driver = tag(xml, 'driver_version') ?? '';
  return xml
    .split(/<gpu id=/)
    .slice(1)
    .map((g) => ({
      name: tag(g, 'product_name') ?? '',
      uuid: tag(g, 'uuid') ?? '',
      vramMiB: leadingNumber(tag(section(g, 'fb_memory_usage'), 'total')) ?? NaN,
      driverVersion: driver,
      utilizationPct: leadingNumber(tag(section(g, 'utilization'), 'gpu_util')),
      temperatureC: leadingNumber(tag(section(g, 'temperature'), 'gpu_temp')),
      processCount: (section(g, 'processes').match(/<process_info>/g) ?? []).length,
    }));
}

/** How the UI promises to show VRAM: whole GiB, labelled GiB ("24 GiB" for 24564 MiB). */
export function expectedVramText(mib: number): string {
  return `${Math.round(mib / 1024)} GiB`;
}

export function expectedMiBText(mib: number): string {
  return `${mib.toLocaleString('en-US')} MiB`;
}
