/**
 * Every threshold the readiness checks use, in one place, each with where it comes from.
 * Where Akash publishes no number, the comment says so and the value is a conservative pick.
 *
 * Sources:
 *  [HW]  Akash "Provider Hardware Requirements", https://akash.network/docs/providers/getting-started/hardware-requirements
 *        (akash-network/website src/content/Docs/providers/getting-started/hardware-requirements/index.md, read 2026-11)
 *  [GPU] Akash "GPU Resource Enablement", https://akash.network/docs/providers/build-a-cloud-provider/gpu-resource-enablement
 *  [CFG] akash-network/provider-configs devices/pcie/gpus.json (GPU models the inventory operator recognises)
 *  [CUDA] NVIDIA CUDA Toolkit release notes, table "CUDA Toolkit and Corresponding Driver Versions"
 *  [CTK] NVIDIA Container Toolkit install guide / NVIDIA/nvidia-docker#1681 (toolkit needs driver >= 418.81.07)
 */
export const REQUIREMENTS = {
  /**
   * Below this the NVIDIA Container Toolkit does not work at all [CTK]: a hard block.
   * Akash itself names no minimum driver; [GPU] installs whatever `ubuntu-drivers` recommends
   * (525 in its example).
   * This is also the real minimum for the provider itself to start: RigLease's k3s image is plain
   * Ubuntu + the toolkit, with no NVIDIA_REQUIRE_CUDA and NVIDIA_DISABLE_REQUIRE=true
   * (resources/stack/k3s-cuda/Dockerfile; images.test.ts fails if a CUDA requirement returns).
   * A CUDA base image would carry e.g. `cuda>=12.9`, and the NVIDIA hook
   * (nvidia-container-toolkit `checkRequirements`) would refuse to start k3s on drivers older
   * than R575 while this check said "ready" [CUDA]. Tenants' images carry their own requirement,
   * hence the warning below.
   */
  driverBlockBelow: '418.81.07',
  /**
   * CUDA 12.0 needs driver >= 525.60.13 on Linux [CUDA]; most tenant images are CUDA 12 builds,
   * and [GPU]'s example driver is 525. Not an Akash-published number: a warning, not a block.
   */
  driverWarnBelow: '525.60.13',
  /** The CUDA version the driver supports (nvidia-smi's cuda_version); same reasoning as above. */
  cudaWarnBelow: '12.0',

  /**
   * Akash names no minimum VRAM [HW]. Tenants filter on model and `ram` [GPU]; a card under
   * 8 GiB fits few AI workloads, so warn (conservative pick, unconfirmed as an Akash rule).
   */
  vramWarnBelowMiB: 8 * 1024,

  /**
   * System RAM. [HW] single server minimum 16 GB, recommended 48+ GB; its "large provider"
   * GPU node example is 64 GB for 4 GPUs = 16 GB per GPU. So: block under 16 GB total, warn
   * under 16 GB per GPU (the per-GPU figure is derived from that example, not stated as a rule).
   */
  ramBlockBelowMiB: 16 * 1024,
  ramPerGpuWarnBelowMiB: 16 * 1024,

  /**
   * Disk where Docker keeps its data. [HW] single server minimum 150 GB SSD, recommended
   * 500 GB+; ephemeral storage minimum 100 GB per worker node. Per GPU: no Akash number, so warn
   * under 100 GB free per GPU (conservative; model images and weights are tens of GB each).
   */
  diskFreeBlockBelowMiB: 100 * 1024,
  diskFreeWarnBelowMiB: 150 * 1024,
  diskFreePerGpuWarnBelowMiB: 100 * 1024,

  /**
   * CPU. [HW] single server minimum 8 cores, ~4 reserved for Kubernetes itself. We count
   * threads (what k8s schedules); block under 4 (nothing left for tenants), warn under 8.
   */
  cpuThreadsBlockBelow: 4,
  cpuThreadsWarnBelow: 8,

  /** [HW]: "x86_64 processors only … ARM processors are not currently supported". */
  supportedArch: ['x64'] as readonly string[],
} as const;

export const LINKS = {
  hardware: 'https://akash.network/docs/providers/getting-started/hardware-requirements',
  gpuEnablement: 'https://akash.network/docs/providers/build-a-cloud-provider/gpu-resource-enablement',
  gpusJson: 'https://github.com/akash-network/provider-configs/blob/main/devices/pcie/gpus.json',
  subsystemIssue: 'https://github.com/akash-network/support/issues/298',
  nvidiaDriver: 'https://www.nvidia.com/Download/index.aspx',
  cudaCompat: 'https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html',
  containerToolkit: 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html',
  dockerInstall: 'https://docs.docker.com/engine/install/',
  dockerDesktop: 'https://docs.docker.com/desktop/',
  dockerPostInstall: 'https://docs.docker.com/engine/install/linux-postinstall/',
  wslGpu: 'https://learn.microsoft.com/windows/wsl/tutorials/gpu-compute',
  dockerDesktopGpu: 'https://docs.docker.com/desktop/features/gpu/',
} as const;

/** Compares dotted versions numerically ("525.60.13" vs "535.54.03"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
