import { RigError } from '../../api/errors.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';

/** Checks that decide whether a machine can serve GPUs to the cluster (not CPU/RAM/disk advice). */
const GPU_CHECK = /^(gpu\.|docker\.(engine|version|gpu-runtime|toolkit)$)/;

/**
 * The readiness scan's verdict on joining: refuses a machine that cannot serve GPUs, naming each
 * reason and its fix. Other blocks (RAM, disk, CPU) are the controller's capacity question, not a
 * reason to refuse, and are returned as notes.
 */
export function joinGate(report: HardwareReport): { notes: string[] } {
  const blocks = report.checks.filter((c) => c.status === 'block' && GPU_CHECK.test(c.id));
  if (report.gpus.length === 0 && !blocks.some((c) => c.id === 'gpu.present')) {
    blocks.unshift({ id: 'gpu.present', status: 'block', title: 'No NVIDIA GPU found', detail: report.nvidia.message, fix: 'Install the NVIDIA driver and check that `nvidia-smi` lists the card.', link: null });
  }
  if (blocks.length) {
    const reasons = blocks.map((c) => `${c.title}: ${c.detail}`).join(' ');
    const fixes = blocks.map((c) => c.fix).filter((f): f is string => !!f);
    throw new RigError(
      'precondition_failed',
      `This machine cannot serve GPUs to the farm, so it was not joined. ${reasons}`,
      fixes.length ? `${fixes.join(' ')} Then join again.` : 'Run `riglease hardware` for the details, fix what it says, then join again.',
    );
  }
  const notes = report.checks.filter((c) => c.status === 'block' && !GPU_CHECK.test(c.id)).map((c) => `${c.title} (${c.detail})`);
  return { notes };
}
