import { HARD_BLOCK_IDS, type HardwareReport } from '../../api/schemas/hardware.js';
import { done, todo, type CheckResult, type StepDef } from './step.js';

/**
 * What the steps read and do, passed in by the agent. The hardware part is the real service
 * today; the others are seams that the wallet, pricing, network and stack wiring fill in
 * (see onboarding-wiring.ts for which ones are plugged).
 */
export interface OnboardingContext {
  scan(maxAgeMs: number): Promise<HardwareReport>;
  lastReport(): HardwareReport | null;
  wallet(): Promise<CheckResult>;
  pricing(confirmed: boolean): Promise<CheckResult>;
  /** `confirmed`: the person accepted ports that could not be tested from outside. */
  network(confirmed: boolean): Promise<CheckResult>;
  /** Stack up, provider registered, certificate published. */
  providing(): Promise<CheckResult>;
  /** Present once the stack/chain wiring can start providing by itself; absent = the person presses "Start providing". */
  startProviding?: (signal: AbortSignal) => Promise<void>;
}

/** The scan the "fixes" step re-reads: young enough that "check again" sees what the person just fixed. */
const FIXES_SCAN_AGE_MS = 2_000;

function blocking(report: HardwareReport): string[] {
  return report.checks.filter((c) => c.status === 'block').map((c) => c.title);
}

/**
 * Blocks that make providing impossible whatever the person says: no Docker engine to run the
 * stack in, a system or processor Akash does not support, no NVIDIA GPU or driver at all. Every
 * other block (fewer CPU threads or less disk than Akash asks, no GPU runtime in Docker, which
 * leaves a CPU-only provider) can be accepted knowingly with the "fixes" confirmation.
 */
export const HARD_BLOCKS: ReadonlySet<string> = new Set(HARD_BLOCK_IDS);

export function blockingChecks(report: HardwareReport): { id: string; title: string; hard: boolean }[] {
  return report.checks.filter((c) => c.status === 'block').map((c) => ({ id: c.id, title: c.title, hard: HARD_BLOCKS.has(c.id) }));
}

/** readiness → fixes → wallet → pricing → network → review → start providing; "done" is the finished state. */
export const ONBOARDING_STEPS: readonly StepDef<OnboardingContext>[] = [
  {
    id: 'readiness',
    title: 'Check this computer',
    appliesWhen: () => true,
    check: async (ctx) => (ctx.lastReport() ? done() : todo('This computer has not been scanned yet.')),
    action: { id: 'hardware.scan', label: 'Scan GPUs, system and Docker', run: async (ctx) => void (await ctx.scan(0)) },
    failureText: 'The scan could not finish: nvidia-smi or Docker did not answer in time. Check that both work in a terminal, then try again.',
  },
  {
    id: 'fixes',
    title: 'Fix what blocks',
    // After a restart there is no report in memory yet: scan rather than skip the step.
    appliesWhen: async (ctx) => blocking(ctx.lastReport() ?? (await ctx.scan(FIXES_SCAN_AGE_MS))).length > 0,
    check: async (ctx, info) => {
      const left = blockingChecks(await ctx.scan(FIXES_SCAN_AGE_MS));
      if (left.length === 0) return done();
      const hard = left.filter((b) => b.hard);
      // Accepted knowingly ("continue anyway"): only blocks that still leave a working provider.
      if (info.confirmed.has('fixes') && hard.length === 0) return done();
      const names = left.map((b) => b.title).join(', ');
      const accept = hard.length === 0 ? ' Or continue anyway: the provider then offers less (CPU only without a GPU runtime).' : ` ${hard.map((b) => b.title).join(', ')} cannot be skipped.`;
      return todo(`${left.length} thing(s) still block: ${names}.${accept}`);
    },
    action: { id: 'hardware.fix', label: 'Show the fixes' },
    failureText: 'Something on this computer still stops it from renting out its GPU. Follow the fix shown for each item, then check again.',
  },
  {
    id: 'wallet',
    title: 'Wallet',
    appliesWhen: () => true,
    check: (ctx) => ctx.wallet(),
    action: { id: 'wallet.setup', label: 'Create or import a wallet' },
    failureText: 'The wallet could not be read. Unlock it (passphrase) or import it again from its recovery phrase.',
  },
  {
    id: 'pricing',
    title: 'Prices',
    appliesWhen: () => true,
    check: (ctx, info) => ctx.pricing(info.confirmed.has('pricing')),
    action: { id: 'pricing.review', label: 'Set your prices' },
    failureText: 'These prices would lose money or cannot be used. Raise them above the power floor shown, then check again.',
  },
  {
    id: 'network',
    title: 'Network',
    appliesWhen: () => true,
    check: (ctx, info) => ctx.network(info.confirmed.has('network')),
    action: { id: 'network.setup', label: 'Set the domain and open the ports' },
    failureText: 'Tenants cannot reach this computer yet. Check the domain and forward ports 8443 and 8444 on your router, then check again.',
  },
  {
    id: 'review',
    title: 'Review',
    appliesWhen: () => true,
    check: async (_ctx, info) => (info.confirmed.has('review') ? done() : todo('Look over the summary and confirm.')),
    action: { id: 'onboarding.review', label: 'Confirm and continue' },
    failureText: 'The summary has to be confirmed before providing starts.',
    checkAgainLabel: 'Confirm',
  },
  {
    id: 'start-providing',
    title: 'Start providing',
    appliesWhen: () => true,
    check: (ctx) => ctx.providing(),
    action: { id: 'stack.up', label: 'Start providing' },
    failureText: 'The provider could not start. The live log says which part stopped; fix it and try again.',
    checkAgainLabel: 'Try again',
  },
];

/** The same list with the "Start providing" action run by the wizard itself, once the context can. */
export function onboardingSteps(ctx: Pick<OnboardingContext, 'startProviding'>): StepDef<OnboardingContext>[] {
  return ONBOARDING_STEPS.map((s) => {
    const start = ctx.startProviding;
    return s.id === 'start-providing' && start ? { ...s, action: { ...s.action, run: (_c: OnboardingContext, signal: AbortSignal) => start(signal) } } : s;
  });
}
