import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CONNECTION_SERVICES } from '../hardware/bench/upnp-igd.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** One mapping the router granted: the standard outside port, the host port it forwards to, its lifetime (0 = permanent). */
const HeldPort = z.object({
  port: z.number().int().min(1).max(65535),
  internalPort: z.number().int().min(1).max(65535),
  externalPort: z.number().int().min(1).max(65535),
  lifetimeSec: z.number().int().min(0),
});
export type HeldPort = z.infer<typeof HeldPort>;

/**
 * The mappings RigLease asked a router for, enough to remove them again from another process
 * (`riglease ports unmap` after `riglease ports map`, or after the app restarted).
 */
export const HeldPortMaps = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('nat-pmp'),
    gateway: z.string().min(1),
    natPmp: z.object({ gateway: z.string().min(1), port: z.number().int().min(1).max(65535).optional() }),
    ports: z.array(HeldPort),
    at: z.string(),
  }),
  z.object({
    kind: z.literal('upnp'),
    gateway: z.string().min(1),
    service: z.object({
      serviceType: z.enum(CONNECTION_SERVICES),
      controlUrl: z.string().url(),
      name: z.string(),
    }),
    ports: z.array(HeldPort),
    at: z.string(),
  }),
]);
export type HeldPortMaps = z.infer<typeof HeldPortMaps>;

/** `<stateDir>/port-mappings.json`: written when a router granted mappings, removed when they are taken away. */
export class HeldPortMapsFile {
  readonly file: string;
  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'port-mappings.json');
  }

  /** null when nothing is held, or the file does not validate (then nothing can be removed safely). */
  async read(): Promise<HeldPortMaps | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = HeldPortMaps.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async write(held: HeldPortMaps): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(HeldPortMaps.parse(held), null, 2)}\n`);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
