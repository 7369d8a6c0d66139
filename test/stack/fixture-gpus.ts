import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { PlanGpu } from '../../src/provider/stack/gpu-labels.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/nvidia-smi');

/** Akash names for the captured cards (AKASH.md §4: lower-case model, VRAM as `24Gi`). */
const AKASH: Record<string, PlanGpu['akash']> = {
  'NVIDIA GeForce RTX 4090': { model: 'rtx4090', ram: '24Gi', interface: 'pcie' },
  'GeForce GTX 1080': { model: 'gtx1080', ram: '8Gi', interface: 'pcie' },
  'NVIDIA GeForce RTX 2070': { model: 'rtx2070', ram: '8Gi', interface: 'pcie' },
  'Tesla T4': { model: 't4', ram: '16Gi', interface: 'pcie' },
};

/** GPUs of a real captured `nvidia-smi -q -x` (the first comment line is the source note). */
export function fixtureGpus(file: string): PlanGpu[] {
  const xml = readFileSync(path.join(FIXTURES, file), 'utf8');
  const doc = new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(xml) as { nvidia_smi_log: { gpu: unknown } };
  const raw = doc.nvidia_smi_log.gpu;
  const list = (Array.isArray(raw) ? raw : [raw]) as { product_name: string; uuid: string; pci?: { pci_sub_system_id?: string; pci_bus_id?: string } }[];
  return list.map((g) => ({
    uuid: g.uuid,
    name: g.product_name,
    pciSubSystemId: g.pci?.pci_sub_system_id ?? null,
    pciBusId: g.pci?.pci_bus_id ?? null,
    akash: AKASH[g.product_name] ?? null,
  }));
}
