import { randomBytes, randomInt } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../../api/errors.js';

export interface BuiltinDiskFigures {
  seqWriteMBps: number;
  seqReadMBps: number;
  randReadIops: number;
  randReadLatencyUs: number;
}

const CHUNK = 4 * 1024 * 1024;
const RANDOM_BLOCK = 4096;
/** Random reads stop after this many or this long, whichever comes first. */
const RANDOM_READS = 4000;
const RANDOM_MS = 3000;

/**
 * The fallback when fio is not available: write a test file sequentially (fsync included in
 * the time, so the page cache cannot flatter the write figure), read it back, then do random
 * 4 KiB reads. The read figures may still be helped by the OS cache; the notes say so. The
 * file is removed afterwards whatever happens.
 */
export async function builtinDiskBench(dir: string, sizeMiB: number, signal: AbortSignal, onProgress?: (pct: number, what: string) => void): Promise<BuiltinDiskFigures> {
  const file = path.join(dir, `riglease-disk-${randomBytes(4).toString('hex')}.tmp`);
  const total = sizeMiB * 1024 * 1024;
  const chunk = randomBytes(Math.min(CHUNK, total));
  try {
    const t0 = performance.now();
    const w = await open(file, 'w', 0o600);
    try {
      for (let done = 0; done < total; ) {
        check(signal);
        const n = Math.min(chunk.length, total - done);
        await w.write(chunk, 0, n, done);
        done += n;
        onProgress?.((done / total) * 40, 'Writing the test file');
      }
      await w.sync();
    } finally {
      await w.close();
    }
    const writeSec = (performance.now() - t0) / 1000;

    const r = await open(file, 'r');
    let readSec: number;
    let iops: number;
    let latencyUs: number;
    try {
      const buf = Buffer.alloc(chunk.length);
      const t1 = performance.now();
      for (let done = 0; done < total; ) {
        check(signal);
        const { bytesRead } = await r.read(buf, 0, Math.min(buf.length, total - done), done);
        if (bytesRead === 0) break;
        done += bytesRead;
        onProgress?.(40 + (done / total) * 30, 'Reading it back');
      }
      readSec = (performance.now() - t1) / 1000;

      const small = Buffer.alloc(RANDOM_BLOCK);
      const blocks = Math.max(1, Math.floor(total / RANDOM_BLOCK));
      let count = 0;
      const t2 = performance.now();
      while (count < RANDOM_READS && performance.now() - t2 < RANDOM_MS) {
        if (count % 256 === 0) check(signal);
        await r.read(small, 0, RANDOM_BLOCK, randomInt(blocks) * RANDOM_BLOCK);
        count++;
      }
      const randMs = performance.now() - t2;
      iops = count / (randMs / 1000);
      latencyUs = (randMs * 1000) / count;
      onProgress?.(100, 'Random reads done');
    } finally {
      await r.close();
    }
    const mb = total / 1_000_000;
    return { seqWriteMBps: mb / writeSec, seqReadMBps: mb / readSec, randReadIops: iops, randReadLatencyUs: latencyUs };
  } finally {
    await rm(file, { force: true });
  }
}

function check(signal: AbortSignal): void {
  if (signal.aborted) throw new RigError('cancelled', 'Cancelled.');
}
