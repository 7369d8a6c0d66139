import type { Check, NvidiaState } from '../../api/schemas/hardware.js';
import { LINKS, REQUIREMENTS, compareVersions } from '../requirements.js';
import { check, gib, type HardwareFacts } from './facts.js';

/** The fix for each way nvidia-smi can fail; the detail is nvidia-smi's own status message. */
const NVIDIA_FIXES: Record<Exclude<NvidiaState, 'ok'>, { fix: string; link: string | null }> = {
  absent: { fix: 'Install the NVIDIA driver for your GPU (on Ubuntu: `sudo ubuntu-drivers autoinstall`, then reboot), or set RIGLEASE_NVIDIA_SMI to where nvidia-smi is.', link: LINKS.nvidiaDriver },
  driver_not_loaded: { fix: 'Reboot; if it persists, load the driver with `sudo modprobe nvidia` and check Secure Boot is not blocking it (`mokutil --sb-state`).', link: LINKS.gpuEnablement },
  library_missing: { fix: 'Reinstall the NVIDIA driver so libnvidia-ml is present (on Ubuntu: `sudo apt install --reinstall nvidia-utils-<version>`).', link: LINKS.nvidiaDriver },
  no_devices: { fix: 'Check the card is seated and powered; in the BIOS enable "Above 4G decoding" and "Resizable BAR", then reboot.', link: null },
  version_mismatch: { fix: 'Reboot so the newly installed driver is the one loaded.', link: null },
  permission_denied: { fix: 'Run RigLease as a user in the `video` group (`sudo usermod -aG video $USER`, then log out and in).', link: null },
  timeout: { fix: 'Reboot; if nvidia-smi still hangs, look for "Xid" errors in `sudo dmesg` — the GPU or its power may be failing.', link: null },
  garbage: { fix: 'Run `nvidia-smi -q -x` in a terminal to see what it prints, and update the NVIDIA driver.', link: LINKS.nvidiaDriver },
  failed: { fix: 'Run `nvidia-smi` in a terminal to see the error, and reinstall the NVIDIA driver if it persists.', link: LINKS.nvidiaDriver },
};

export function gpuChecks(f: HardwareFacts): Check[] {
  if (f.nvidia.state !== 'ok' || f.gpus.length === 0) {
    if (f.system.os.kind === 'macos') {
      return [check('gpu.present', 'block', 'NVIDIA GPU', 'Macs have no NVIDIA GPU or driver, and Akash rents out NVIDIA GPUs only.', 'Run RigLease on a Windows or Linux PC with an NVIDIA card.', LINKS.hardware)];
    }
    const state = f.nvidia.state === 'ok' ? 'no_devices' : f.nvidia.state;
    const { fix, link } = NVIDIA_FIXES[state];
    return [check('gpu.present', 'block', 'NVIDIA GPU', f.nvidia.message, fix, link)];
  }
  const names = [...new Set(f.gpus.map((g) => g.name))];
  return [
    check('gpu.present', 'ok', 'NVIDIA GPU', `${f.gpus.length} × ${names.join(' + ')} found.`),
    driverCheck(f),
    cudaCheck(f),
    vramCheck(f),
    sameModelCheck(names),
    akashModelCheck(f),
    subsystemCheck(f),
    virtualizationCheck(f),
  ];
}

function driverCheck(f: HardwareFacts): Check {
  const v = f.nvidia.driverVersion;
  const title = 'NVIDIA driver';
  const fix = 'Update the NVIDIA driver (on Ubuntu: `sudo ubuntu-drivers autoinstall`, then reboot).';
  if (!v) return check('gpu.driver', 'warn', title, 'nvidia-smi did not report a driver version.', fix, LINKS.nvidiaDriver);
  if (compareVersions(v, REQUIREMENTS.driverBlockBelow) < 0) {
    return check('gpu.driver', 'block', title, `Driver ${v} is older than ${REQUIREMENTS.driverBlockBelow}, the oldest the NVIDIA Container Toolkit supports.`, fix, LINKS.containerToolkit);
  }
  if (compareVersions(v, REQUIREMENTS.driverWarnBelow) < 0) {
    return check('gpu.driver', 'warn', title, `Driver ${v} cannot run CUDA 12 containers (they need ${REQUIREMENTS.driverWarnBelow} or newer), which most tenants use.`, fix, LINKS.cudaCompat);
  }
  return check('gpu.driver', 'ok', title, `Driver ${v} is recent enough for CUDA 12 containers.`);
}

function cudaCheck(f: HardwareFacts): Check {
  const v = f.nvidia.cudaVersion;
  const title = 'CUDA version';
  const fix = 'Update the NVIDIA driver; the CUDA version comes with it.';
  if (!v) return check('gpu.cuda', 'warn', title, 'The driver does not report a CUDA version, so it is too old to say which CUDA images will run.', fix, LINKS.cudaCompat);
  if (compareVersions(v, REQUIREMENTS.cudaWarnBelow) < 0) {
    return check('gpu.cuda', 'warn', title, `The driver supports CUDA ${v}; tenants' CUDA ${REQUIREMENTS.cudaWarnBelow}+ images will not start.`, fix, LINKS.cudaCompat);
  }
  return check('gpu.cuda', 'ok', title, `The driver supports CUDA ${v}.`);
}

function vramCheck(f: HardwareFacts): Check {
  const small = f.gpus.filter((g) => g.vramMiB !== null && g.vramMiB < REQUIREMENTS.vramWarnBelowMiB);
  const unknown = f.gpus.filter((g) => g.vramMiB === null);
  const title = 'GPU memory';
  if (small.length > 0) {
    const g = small[0]!;
    return check('gpu.vram', 'warn', title, `${g.name} has ${gib(g.vramMiB ?? 0)} of memory; few AI workloads fit in under ${gib(REQUIREMENTS.vramWarnBelowMiB)}, so expect few leases.`, null, LINKS.hardware);
  }
  if (unknown.length > 0) return check('gpu.vram', 'warn', title, `nvidia-smi did not report the memory size of ${unknown[0]!.name}.`, null, null);
  const min = Math.min(...f.gpus.map((g) => g.vramMiB ?? 0));
  return check('gpu.vram', 'ok', title, `Each GPU has at least ${gib(min)} of memory.`);
}

function sameModelCheck(names: string[]): Check {
  const title = 'One GPU model';
  if (names.length > 1) {
    return check('gpu.same-model', 'block', title, `Akash supports only one GPU model per machine, and this one has ${names.join(' and ')}.`, 'Offer one model: remove the other cards, or run RigLease on a second machine for them.', LINKS.hardware);
  }
  return check('gpu.same-model', 'ok', title, 'All GPUs are the same model, as Akash requires.');
}

function akashModelCheck(f: HardwareFacts): Check {
  const unknown = f.gpus.find((g) => g.akash === null);
  const title = 'Akash GPU name';
  if (unknown) {
    return check('gpu.akash-model', 'warn', title, `"${unknown.name}" could not be matched to an Akash GPU model name, so tenants may not find it.`, 'Check the card is listed in Akash provider-configs gpus.json; if not, submit it there.', LINKS.gpusJson);
  }
  const a = f.gpus[0]?.akash;
  return check('gpu.akash-model', 'ok', title, a ? `Tenants will see it as ${a.model} with ${a.ram} (${a.interface}).` : 'Named.');
}

/**
 * Board-partner cards (ASUS, MSI, Gainward…) carry their own PCI subsystem vendor id; Akash's
 * inventory operator has missed such cards (akash-network/support#298, e.g. Gainward 10b0:f297).
 * nvidia-smi writes the id as DDDDVVVV: subsystem device, then subsystem vendor.
 */
function subsystemCheck(f: HardwareFacts): Check {
  const title = 'Board maker id';
  // Only a real id (8 hex digits, as nvidia-smi prints it): some published captures say "[REDACTED]".
  const partner = f.gpus.find((g) => {
    if (!g.pciSubSystemId || !/^(0x)?[0-9a-f]{8}$/i.test(g.pciSubSystemId)) return false;
    const vendor = g.pciSubSystemId.slice(-4).toLowerCase();
    return vendor !== '10de' && vendor !== '0000';
  });
  if (partner?.pciSubSystemId) {
    const vendor = partner.pciSubSystemId.slice(-4).toLowerCase();
    const device = partner.pciSubSystemId.replace(/^0x/i, '').slice(0, 4).toLowerCase();
    return check('gpu.subsystem-id', 'warn', title, `This is a board-partner card (subsystem ${vendor}:${device}); Akash's inventory has failed to detect some such cards, leaving the GPU unadvertised.`, 'If the provider shows no GPU after setup, load the nvidia_drm kernel module (`sudo modprobe nvidia_drm`, and add it to /etc/modules-load.d/ so it loads at boot); the stack status names the cause. Labelling the node by hand does not help: Akash\'s inventory operator removes those labels.', LINKS.subsystemIssue);
  }
  if (f.gpus.some((g) => g.pciSubSystemId && !/^(0x)?[0-9a-f]{8}$/i.test(g.pciSubSystemId))) {
    return check('gpu.subsystem-id', 'ok', title, `nvidia-smi gave no readable board maker id ("${f.gpus.find((g) => g.pciSubSystemId)?.pciSubSystemId ?? ''}"), so there is nothing to check.`);
  }
  return check('gpu.subsystem-id', 'ok', title, 'NVIDIA reference board ids, which Akash detects.');
}

function virtualizationCheck(f: HardwareFacts): Check {
  const title = 'Whole GPU';
  const vgpu = f.gpus.find((g) => g.virtualized);
  if (vgpu) return check('gpu.whole', 'block', title, `${vgpu.name} is a virtual GPU slice; Akash rents whole GPUs to containers.`, 'Pass the whole GPU through to this machine (PCI pass-through) instead of a vGPU profile.', LINKS.gpuEnablement);
  const mig = f.gpus.find((g) => g.migEnabled === true);
  if (mig) return check('gpu.whole', 'warn', title, `${mig.name} has MIG enabled, which splits it; Akash's standard setup offers whole GPUs.`, 'Disable MIG: `sudo nvidia-smi -i <index> -mig 0`, then reset the GPU or reboot.', LINKS.gpuEnablement);
  return check('gpu.whole', 'ok', title, 'The GPUs are whole cards, not slices.');
}
