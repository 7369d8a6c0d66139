import os from 'node:os';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { BASE_IMAGE, CHARTS, IMAGES, K3S_PUBLISHED_DIGEST, K3S_VERSION, NVIDIA_CTK_VERSION } from '../../provider/stack/images.js';
import type { MachineFacts } from './field-test-model.js';

/**
 * What a bug report about a real rig needs first: OS, kernel, Docker, driver, GPU models, the
 * RigLease version and every pinned artifact. From the hardware scan where it ran; the OS's own
 * answer otherwise (so a failed scan still leaves facts).
 */
export function machineFacts(scan: HardwareReport | null, version: string, images: Record<string, string>): MachineFacts {
  const sys = scan?.system;
  const pins: Record<string, string> = { k3sVersion: K3S_VERSION, k3sBaseImage: BASE_IMAGE, nvidiaCtkVersion: NVIDIA_CTK_VERSION, k3sImageDigest: K3S_PUBLISHED_DIGEST ?? 'not published yet' };
  for (const [name, pin] of Object.entries(IMAGES)) pins[`image.${name}`] = pin.ref;
  for (const [name, pin] of Object.entries(CHARTS)) pins[`chart.${name}`] = `${pin.chart} ${pin.version}`;
  return {
    os: sys ? [sys.os.distro, sys.os.release].filter(Boolean).join(' ') || sys.os.platform : `${os.type()} ${os.release()}`,
    kernel: sys?.os.kernel ?? os.release(),
    arch: sys?.arch ?? os.arch(),
    docker: scan?.docker.version ? `${scan.docker.version}${scan.docker.operatingSystem ? ` (${scan.docker.operatingSystem})` : ''}${scan.docker.gpuCapable ? ', GPU runtime present' : ', no GPU runtime'}` : null,
    driver: scan?.nvidia.driverVersion ? `${scan.nvidia.driverVersion}${scan.nvidia.cudaVersion ? ` (CUDA ${scan.nvidia.cudaVersion})` : ''}` : null,
    gpus: scan?.gpus.map((g) => `${g.name}${g.akash ? ` (Akash: ${g.akash.model} ${g.akash.ram} ${g.akash.interface})` : ''}`) ?? [],
    riglease: version,
    node: process.version,
    pins,
    images,
  };
}
