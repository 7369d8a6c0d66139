import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from '../util/lazy-yaml.js';
import { z } from 'zod';
import { RigError } from '../api/errors.js';
import { ProviderProfileSettings } from '../api/schemas/settings/chain.js';
import { GpuPriceRule, PowerSettings, PricingSettings } from '../api/schemas/settings/pricing.js';
import { StackPorts, StackSettings } from '../api/schemas/settings/stack.js';

const Domain = StackSettings.shape.domain.refine((d) => d.length > 0, 'a domain such as example.com (the gateway becomes provider.<domain>)');
const CheckId = z.string().regex(/^[a-z][a-z0-9.-]{0,60}$/, 'a readiness check id such as cpu.threads (see `riglease hardware --json`)');

/**
 * The answers `riglease onboard --config FILE` gives the wizard, YAML or JSON. Strict: an
 * unknown key is an error (a typo must not be silently ignored). The recovery phrase is never
 * in this file, only the path of a file that holds it.
 */
export const OnboardConfig = z
  .object({
    wallet: z.union([
      z.object({ mnemonicFile: z.string().min(1, 'the path of a file holding the recovery phrase') }).strict(),
      z.object({ existing: z.literal(true) }).strict(),
    ]),
    /** Readiness blocks the operator accepts knowingly (ids from `riglease hardware --json`). */
    acceptBlockers: z.array(CheckId).max(50).default([]),
    /** GPUs to offer: all, none (CPU only), or UUIDs from the hardware scan. */
    gpus: z.union([z.literal('all'), z.literal('none'), z.array(z.string().regex(/^GPU-[0-9a-fA-F-]{8,}$/, 'a GPU UUID such as GPU-1a2b…')).min(1)]).default('all'),
    pricing: z
      .object({
        strategy: PricingSettings.shape.strategy.optional(),
        gpus: z.array(GpuPriceRule).max(200).optional(),
        defaultGpuUsdPerHour: z.number().min(0).max(1000).optional(),
        power: PowerSettings.partial().strict().optional(),
        allowBelowFloor: z.boolean().optional(),
        utilizationPct: z.number().min(0).max(100).optional(),
      })
      .strict()
      .default({}),
    network: z
      .object({
        domain: Domain,
        /** Host ports the stack publishes (router forwarding points at these). */
        ports: StackPorts.partial().strict().optional(),
        /** Continue when no outside probe could test the ports (none configured or unreachable). */
        acceptUntestedPorts: z.boolean().default(false),
      })
      .strict(),
    provider: ProviderProfileSettings.pick({ email: true, website: true, country: true, locationRegion: true, memoryType: true }).partial().strict().optional(),
  })
  .strict()
  // A domain means a provider, and the provider cannot start without a contact email (Let's
  // Encrypt account, on-chain contact): ask for it here instead of failing at the stack step.
  .superRefine((c, ctx) => {
    if (!c.provider?.email?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['provider', 'email'], message: "the provider's contact email (Let's Encrypt and the on-chain record need one), e.g. ops@example.com" });
    }
  });
export type OnboardConfig = z.infer<typeof OnboardConfig>;

function invalid(file: string, problems: string[]): RigError {
  return new RigError('invalid_input', `${file} is not a valid onboarding config:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'Fix each field named above and run the same command again; nothing was changed.');
}

/** Reads and validates the config: one line per bad field, with its dotted path. */
export async function loadOnboardConfig(file: string): Promise<OnboardConfig> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new RigError('not_found', `Cannot read the config ${file}: ${err instanceof Error ? err.message : String(err)}`, 'Pass the path of a YAML or JSON file with --config.');
  });
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML 1.2 reads JSON too
  } catch (err) {
    throw invalid(file, [`not YAML or JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`]);
  }
  const wallet = (raw as { wallet?: Record<string, unknown> } | null)?.wallet;
  if (wallet && typeof wallet === 'object' && ('mnemonic' in wallet || 'phrase' in wallet)) {
    throw invalid(file, ['wallet: never write the recovery phrase into the config; put it in a file only you can read and name that file in wallet.mnemonicFile']);
  }
  const parsed = OnboardConfig.safeParse(raw ?? {});
  if (!parsed.success) throw invalid(file, parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`));
  return parsed.data;
}

/** The phrase from `wallet.mnemonicFile` (relative to the config's folder); warns when others can read it. */
export async function readMnemonicFile(configFile: string, name: string, warn: (line: string) => void): Promise<string> {
  const file = path.resolve(path.dirname(configFile), name);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new RigError('not_found', `wallet.mnemonicFile: ${file} does not exist.`, 'Write the recovery phrase into that file (chmod 600) or fix the path.');
  if ((info.mode & 0o077) !== 0) warn(`warning: ${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it.`);
  return readFile(file, 'utf8');
}
