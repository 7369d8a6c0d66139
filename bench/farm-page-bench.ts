// The Fleet screen's page method on a controller of N simulated members (farm.json as 2-GPU
// machines that beat with figures): farm.status for one page of 12, timed and weighed, beside the
// whole farm in one answer (what the screen fetched before it paged on the controller).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simulatedController } from '../test/farm/simulated-farm.js';

export interface FarmPageFigures {
  members: number;
  pageP50Ms: number;
  pageP95Ms: number;
  pageKiB: number;
  wholeP50Ms: number;
  wholeKiB: number;
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function benchFarmPage(members: number, runs = 20): Promise<FarmPageFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-farm-page-bench-'));
  try {
    const { service } = await simulatedController(dir, members);
    const time = async (page: { offset?: number; limit?: number }) => {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        const answer = await service.status(page);
        bytes = Buffer.byteLength(JSON.stringify(answer));
        ms.push(performance.now() - s);
      }
      return { ms, bytes };
    };
    await service.status({ offset: 0, limit: 12 }); // warm: module code and the first file read
    // A page in the middle of the farm, as "Next" asks for it.
    const page = await time({ offset: Math.min(24, members), limit: 12 });
    const whole = await time({});
    return { members, pageP50Ms: pct(page.ms, 50), pageP95Ms: pct(page.ms, 95), pageKiB: page.bytes / 1024, wholeP50Ms: pct(whole.ms, 50), wholeKiB: whole.bytes / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('farm-page-bench.ts')) {
  for (const n of [50, 500]) console.log(JSON.stringify(await benchFarmPage(n)));
}
