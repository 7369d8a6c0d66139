import type { HardwareReport } from '../../api/schemas/hardware.js';

/**
 * A HardwareReport for chain tests, with the GPU fields taken from the real capture
 * ../shared/fixtures/nvidia-smi/rtx4090_535.86.05_1gpu.xml (RTX 4090, 24564 MiB, driver
 * 535.86.05, CUDA 12.2). Sensor readings are null: registration does not use them.
 */
export function rtx4090Report(): HardwareReport {
  return {
    scannedAt: new Date().toISOString(),
    durationMs: 1,
    verdict: 'ready',
    gpus: [
      {
        index: 0,
        uuid: 'GPU-71d1acc2-662d-2166-bf9f-65272d2fc437',
        name: 'NVIDIA GeForce RTX 4090',
        brand: 'GeForce',
        architecture: 'Ada Lovelace',
        vramMiB: 24564,
        driverVersion: '535.86.05',
        cudaVersion: '12.2',
        pciBusId: '00000000:84:00.0',
        pciDeviceId: '268410DE',
        pciSubSystemId: '40BF1458',
        temperatureC: null,
        powerDrawW: null,
        powerLimitW: null,
        powerMaxLimitW: null,
        utilizationPct: null,
        memoryUsedMiB: null,
        fanPct: null,
        migEnabled: false,
        driverModel: null,
        virtualized: false,
        processes: [],
        akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' },
      },
    ],
    nvidia: { state: 'ok', path: '/usr/bin/nvidia-smi', message: 'ok', driverVersion: '535.86.05', cudaVersion: '12.2', durationMs: 1 },
    system: {
      hostname: 'rig',
      os: { kind: 'linux', platform: 'linux', distro: null, release: null, kernel: null },
      arch: 'x64',
      cpu: { model: 'AMD Ryzen 9 7950X', vendor: 'AuthenticAMD', cores: 16, threads: 32, virtualization: true },
      memory: { totalMiB: 65536, availableMiB: 60000 },
      disk: null,
    },
    docker: {
      endpoint: 'unix:///var/run/docker.sock',
      found: true,
      reachable: true,
      problem: null,
      message: 'ok',
      version: null,
      apiVersion: null,
      os: null,
      operatingSystem: null,
      rootDir: null,
      runtimes: ['runc', 'nvidia'],
      defaultRuntime: 'runc',
      cdiSpecDirs: [],
      gpuCapable: true,
      nvidiaToolkit: { present: true, how: 'nvidia runtime' },
    },
    checks: [],
  };
}
