import { z } from 'zod';
import { method } from '../method.js';
import { BenchHistory, BenchRunInput, PortMapInput, PortMapResult, PortsStatus } from '../schemas/bench.js';
import { TaskRef } from '../schemas/task.js';

export const benchMethods = {
  'bench.run': method({
    input: BenchRunInput,
    output: TaskRef,
    summary: 'Benchmark the GPU, disk, network or ports (or all); a task whose result is the stored run',
  }),
  'bench.history': method({
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: BenchHistory,
    summary: 'Past benchmark runs, newest first, and whether a re-run is suggested',
  }),
  'bench.ladder': method({
    input: z.object({ gpuUuid: z.string().min(1).optional() }).strict(),
    output: TaskRef,
    summary: 'Pre-flight proof: driver → Docker → Kubernetes → bid engine, each rung green or red with the reason',
  }),
  'bench.mapPorts': method({
    input: PortMapInput,
    output: PortMapResult,
    summary: 'Ask the router (NAT-PMP, else UPnP IGD) to forward the provider ports 80, 443, 8443 and 8444 to this machine and keep them renewed; remove: true takes them away',
  }),
  'bench.portsStatus': method({
    input: z.object({}).strict(),
    output: PortsStatus,
    summary: 'This machine\u2019s address and NAT, the router mappings RigLease holds, and the last outside port check (asks no router or probe)',
  }),
} as const;
