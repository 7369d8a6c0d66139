import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { buildStandInImage } from './stand-in-image.js';

const fixture = (p: string) => readFileSync(new URL(`../bench-fixtures/${p}`, import.meta.url), 'utf8');

/** The real nbody run the stand-in replays (RTX 4090, to match the fake nvidia-smi's rtx4090 capture). */
export const NBODY_CAPTURE = 'nbody/qwen-vl-readme_rtx4090.txt';
/** The real `nvidia-smi -L` line the stand-in CUDA base image prints. */
export const SMI_L_CAPTURE = 'nvidia-smi-L/server-setup-notes_1x-rtx4090.txt';

export interface BenchStandIns {
  /** "nbody": prints the capture's lines up to the device line, pauses `delaySec`, prints the result lines. */
  nbody: string;
  /** The same, but it pauses 10 minutes where the real one computes: for cancel tests. */
  nbodySlow: string;
  /** A "CUDA base" whose nvidia-smi prints the real `-L` capture. */
  smi: string;
  /** The capture's text, so tests read expected figures from the file, never type them. */
  nbodyText: string;
  smiText: string;
}

/**
 * Builds the local stand-ins for the benchmark images (no registry here). The output is a real
 * captured run, split where the real binary computes, so a run takes a moment like the real one.
 */
export async function buildBenchStandIns(docker: Docker, prefix = 'riglease-test/bench', delaySec = 2): Promise<BenchStandIns> {
  const nbodyText = fixture(NBODY_CAPTURE);
  const smiText = fixture(SMI_L_CAPTURE);
  const lines = nbodyText.split('\n');
  const cut = lines.findIndex((l) => l.startsWith('> Compute ')) + 1;
  const before = `${lines.slice(0, cut).join('\n')}\n`;
  const after = lines.slice(cut).join('\n');
  const nbodyFiles = (delay: number) => ({
    '/bin/nbody': '#!/bin/sh\n# Stand-in for NVIDIA\'s CUDA n-body sample: replays a real captured run.\ncat /capture/before.txt\nsleep "$(cat /capture/delay)"\ncat /capture/after.txt\n',
    '/capture/before.txt': before,
    '/capture/after.txt': after,
    '/capture/delay': String(delay),
  });
  const nbody = await buildStandInImage(docker, `${prefix}-nbody:quick`, { files: nbodyFiles(delaySec) });
  const nbodySlow = await buildStandInImage(docker, `${prefix}-nbody:slow`, { files: nbodyFiles(600) });
  const smi = await buildStandInImage(docker, `${prefix}-cuda-base:smi`, {
    files: { '/bin/nvidia-smi': '#!/bin/sh\n# Stand-in for the nvidia-smi the NVIDIA toolkit mounts in: replays a real `nvidia-smi -L`.\ncat /capture/smi-L.txt\n', '/capture/smi-L.txt': smiText },
  });
  return { nbody, nbodySlow, smi, nbodyText, smiText };
}
