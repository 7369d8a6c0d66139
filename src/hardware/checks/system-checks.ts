import type { Check } from '../../api/schemas/hardware.js';
import { LINKS, REQUIREMENTS } from '../requirements.js';
import { check, gib, type HardwareFacts } from './facts.js';

export function systemChecks(f: HardwareFacts): Check[] {
  return [osCheck(f), archCheck(f), cpuCheck(f), virtualizationCheck(f), ramCheck(f), ramPerGpuCheck(f), diskCheck(f), diskPerGpuCheck(f)];
}

function osCheck(f: HardwareFacts): Check {
  const os = f.system.os;
  const name = [os.distro, os.release].filter(Boolean).join(' ') || os.platform;
  const title = 'Operating system';
  switch (os.kind) {
    case 'linux':
      return check('os', 'ok', title, `${name}: Linux runs the provider natively (Akash documents Ubuntu 24.04).`);
    case 'wsl2':
      return check('os', 'warn', title, `${name} under WSL2: the GPU is shared through the Windows driver and the provider's ports must be forwarded from Windows.`, 'Keep the NVIDIA driver updated on Windows (not inside WSL), and use Docker Desktop with the WSL2 backend.', LINKS.wslGpu);
    case 'windows':
      return check('os', 'warn', title, `${name}: the provider runs inside Docker Desktop's WSL2 virtual machine, which must stay running.`, 'Install Docker Desktop with the WSL2 backend and turn on "Start Docker Desktop when you sign in".', LINKS.dockerDesktopGpu);
    case 'macos':
      return check('os', 'block', title, 'macOS cannot use NVIDIA GPUs, and Akash providers rent out NVIDIA GPUs only.', 'Use a Windows or Linux PC with an NVIDIA card.', LINKS.hardware);
    case 'other':
      return check('os', 'block', title, `${os.platform} is not a system RigLease can set up as a provider.`, 'Use Linux (Ubuntu 24.04 is what Akash documents) or Windows with WSL2.', LINKS.hardware);
  }
}

function archCheck(f: HardwareFacts): Check {
  if (REQUIREMENTS.supportedArch.includes(f.system.arch)) return check('arch', 'ok', 'Processor type', '64-bit x86, which Akash supports.');
  return check('arch', 'block', 'Processor type', `Akash providers must be x86_64; this machine is ${f.system.arch}.`, 'Use an x86_64 (Intel or AMD) machine.', LINKS.hardware);
}

function cpuCheck(f: HardwareFacts): Check {
  const t = f.system.cpu.threads;
  const title = 'CPU threads';
  if (t === null) return check('cpu.threads', 'warn', title, 'The number of CPU threads could not be read.');
  if (t < REQUIREMENTS.cpuThreadsBlockBelow) {
    return check('cpu.threads', 'block', title, `${t} threads leave nothing for tenants once Kubernetes takes its share (Akash reserves about 4 cores).`, 'Use a machine with at least 8 CPU threads.', LINKS.hardware);
  }
  if (t < REQUIREMENTS.cpuThreadsWarnBelow) {
    return check('cpu.threads', 'warn', title, `${t} threads is under Akash's 8-core minimum for a single-server provider; GPU leases also need CPU.`, null, LINKS.hardware);
  }
  return check('cpu.threads', 'ok', title, `${t} threads (${f.system.cpu.model}).`);
}

/** VT-x/AMD-V matters where Docker runs in a VM (Windows, WSL2); native Linux runs k3s in a plain container. */
function virtualizationCheck(f: HardwareFacts): Check {
  const v = f.system.cpu.virtualization;
  const kind = f.system.os.kind;
  const title = 'CPU virtualization';
  const needsIt = kind === 'windows';
  if (v === true) return check('cpu.virtualization', 'ok', title, 'Hardware virtualization is on.');
  if (needsIt) {
    return check('cpu.virtualization', v === false ? 'block' : 'warn', title, v === false ? 'Hardware virtualization (VT-x/AMD-V) is off, and Docker Desktop needs it for WSL2.' : 'Could not tell whether hardware virtualization is on; Docker Desktop needs it.', 'Turn on Intel VT-x / AMD SVM in the BIOS, then run `wsl --install`.', LINKS.wslGpu);
  }
  return check('cpu.virtualization', 'ok', title, kind === 'wsl2' ? 'WSL2 is running, so virtualization is on.' : 'Not needed here: the provider runs in a container, not a VM.');
}

function ramCheck(f: HardwareFacts): Check {
  const total = f.system.memory.totalMiB;
  const title = 'Memory';
  if (total < REQUIREMENTS.ramBlockBelowMiB * 0.95) {
    return check('memory.total', 'block', title, `${gib(total)} of RAM is under Akash's 16 GB minimum for a provider.`, 'Add RAM: 16 GB at least, 48 GB or more recommended.', LINKS.hardware);
  }
  return check('memory.total', 'ok', title, `${gib(total)} of RAM.`);
}

function ramPerGpuCheck(f: HardwareFacts): Check {
  const n = Math.max(1, f.gpus.length);
  const per = f.system.memory.totalMiB / n;
  const title = 'Memory per GPU';
  if (per < REQUIREMENTS.ramPerGpuWarnBelowMiB * 0.95) {
    return check('memory.per-gpu', 'warn', title, `${gib(per)} of RAM per GPU; GPU tenants usually ask for as much RAM as the GPU has memory, often 16 GB or more.`, 'Add RAM so there is at least 16 GB per GPU.', LINKS.hardware);
  }
  return check('memory.per-gpu', 'ok', title, `${gib(per)} of RAM per GPU.`);
}

function diskCheck(f: HardwareFacts): Check {
  const d = f.system.disk;
  const title = 'Free disk';
  if (!d) return check('disk.free', 'warn', title, 'Could not measure free disk space where Docker keeps its data.', 'Check it yourself (`df -h` or Explorer): Akash asks for 150 GB or more.', LINKS.hardware);
  const where = `on ${d.mount ?? d.path}`;
  if (d.freeMiB < REQUIREMENTS.diskFreeBlockBelowMiB) {
    return check('disk.free', 'block', title, `${gib(d.freeMiB)} free ${where} is under the 100 GB Akash asks for tenant storage.`, 'Free space or move Docker\'s data to a larger SSD (Docker setting "data-root").', LINKS.hardware);
  }
  if (d.freeMiB < REQUIREMENTS.diskFreeWarnBelowMiB) {
    return check('disk.free', 'warn', title, `${gib(d.freeMiB)} free ${where}; Akash's single-server minimum is 150 GB, 500 GB recommended.`, 'Free space or move Docker\'s data to a larger SSD.', LINKS.hardware);
  }
  return check('disk.free', 'ok', title, `${gib(d.freeMiB)} free ${where}.`);
}

function diskPerGpuCheck(f: HardwareFacts): Check {
  const d = f.system.disk;
  const title = 'Free disk per GPU';
  if (!d || f.gpus.length === 0) return check('disk.per-gpu', 'ok', title, 'Nothing to divide yet.');
  const per = d.freeMiB / f.gpus.length;
  if (per < REQUIREMENTS.diskFreePerGpuWarnBelowMiB) {
    return check('disk.per-gpu', 'warn', title, `${gib(per)} free per GPU; AI images and model weights often take tens of GB per lease.`, 'Free space so there is at least 100 GB per GPU.', LINKS.hardware);
  }
  return check('disk.per-gpu', 'ok', title, `${gib(per)} free per GPU.`);
}
