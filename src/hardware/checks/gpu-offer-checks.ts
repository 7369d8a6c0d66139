import type { Check } from '../../api/schemas/hardware.js';
import { LINKS } from '../requirements.js';
import { check, type HardwareFacts } from './facts.js';

/**
 * Whether Akash can see the GPUs at all, and what "offer the GPUs" means on this machine. Only
 * where a GPU was found (without one, gpu.present already says what is wrong).
 */
export function gpuOfferChecks(f: HardwareFacts): Check[] {
  if (f.nvidia.state !== 'ok' || f.gpus.length === 0) return [];
  const checks = [inventoryVisibleCheck(f)];
  if (f.gpus.length > 1) checks.push(offerAllCheck(f));
  return checks;
}

/** Docker Desktop runs containers in its own VM, on Linux too ("Docker Desktop" in `docker info`'s OperatingSystem). */
function dockerDesktop(f: HardwareFacts): boolean {
  return /docker desktop/i.test(f.docker.operatingSystem ?? '');
}

/**
 * Akash's inventory operator finds GPUs through the PCI devices Linux lists in sysfs (ghw reads
 * /sys/class/drm and the PCI bus; src/provider/stack/README.md "How Akash's inventory finds a
 * GPU"). WSL2 and Docker Desktop's VM have no PCI devices of the PC (the GPU arrives through the
 * Windows driver, /dev/dxg), so the inventory never lists a GPU there and no GPU bid can happen.
 */
function inventoryVisibleCheck(f: HardwareFacts): Check {
  const title = 'GPU visible to Akash';
  const kind = f.system.os.kind;
  const cpuOnly = 'CPU providing can go on: untick the GPUs under "What to offer" (stack.gpus = []).';
  if (kind === 'wsl2' || kind === 'windows') {
    return check(
      'gpu.akash-visible',
      'block',
      title,
      "Akash finds GPUs through the PCI devices Linux lists in /sys, and WSL2 (which Docker Desktop on Windows runs in) does not expose them: the GPU reaches it through the Windows driver instead. So Akash would never see this GPU, and no GPU lease could ever be won here.",
      `To rent out the GPU, run RigLease on Linux installed on this PC (a dual boot is enough), with Docker Engine. ${cpuOnly}`,
      LINKS.dockerInstall,
    );
  }
  if (kind === 'macos' || dockerDesktop(f)) {
    return check(
      'gpu.akash-visible',
      'block',
      title,
      "Docker here is Docker Desktop, which runs containers in its own virtual machine. Akash finds GPUs through the PCI devices in /sys, and that machine has none of this computer's, so no GPU lease could ever be won.",
      `Install Docker Engine directly on Linux (not Docker Desktop) to rent out the GPU. ${cpuOnly}`,
      LINKS.dockerInstall,
    );
  }
  return check('gpu.akash-visible', 'ok', title, 'Linux with Docker Engine: the provider reads the GPUs from this computer\'s own PCI devices, as Akash requires.');
}

/**
 * The k3s container is privileged, so it sees every GPU of the host whatever DeviceRequests
 * names; the device plugin and the inventory would hand out a GPU kept back for games.
 */
function offerAllCheck(f: HardwareFacts): Check {
  return check(
    'gpu.offer-all',
    'ok',
    'GPUs offered',
    `All ${f.gpus.length} GPUs are offered together. RigLease cannot keep one GPU for gaming yet: the provider runs in a privileged container that sees every GPU of this computer, so Akash would rent out the one kept back too. Pause providing or turn on gaming mode to play: both stop new bids.`,
  );
}
