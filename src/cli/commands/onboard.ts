import { RigError } from '../../api/errors.js';
import type { OnboardingState, OnboardingStepView } from '../../api/schemas/onboarding.js';
import { hostUriFor } from '../../app/onboarding/onboarding-checks.js';
import { blockingChecks } from '../../app/onboarding/onboarding-steps.js';
import { START_PROVIDING_TASK } from '../../app/onboarding/start-providing.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import type { InProcessApi } from '../in-process-api.js';
import { loadOnboardConfig, readMnemonicFile, type OnboardConfig } from '../onboard-config.js';
import { printResult, runMethod } from '../run-method.js';

const HELP = `Usage: riglease onboard --config FILE [--json]

The onboarding wizard without a screen, for farm operators: the config file (YAML or JSON)
answers every question, then the wizard runs readiness → fixes → wallet → pricing → network →
review → start providing. Progress goes to stderr; stdout gets the result (one JSON object with
--json). Exit 0 when onboarding finished, 1 when a step needs a person (the reason says what),
2 when the config is not valid. Re-running resumes where it stopped; finished steps are not
repeated and nothing is registered twice.
Once finished, the outside check runs (the provider ports from the outside probe, the DNS
names by resolving): "providing" is only said when it passes; otherwise the output says what is
missing (\`reachability\` in --json). Exit 0 either way: the set-up itself is done.

Config:
  wallet:           { mnemonicFile: PATH }   import the phrase in that file (never in the config)
                    { existing: true }       use the wallet already here
  acceptBlockers:   [cpu.threads, ...]       readiness blocks you accept (ids: riglease hardware --json)
  gpus:             all | none | [GPU-uuid, ...]
  pricing:          { strategy, gpus: [{key, usdPerHour}], defaultGpuUsdPerHour,
                      power: {pricePerKwh, currency, usdPerCurrencyUnit, rigShareWatts}, allowBelowFloor }
  network:          { domain: example.com, ports: {http, https, gateway, grpc}, acceptUntestedPorts }
  provider:         { email, website, country, locationRegion, memoryType }

The wallet key is encrypted with RIGLEASE_PASSPHRASE (or asked on a terminal).`;

const WALKS = 12;
/** The longest a hardware report may be reused through hardware.scan: the fixes step's own report is seconds old. */
const LAST_SCAN_MAX_AGE_MS = 3_600_000;

export const onboardCommand: CliCommand = {
  name: 'onboard',
  summary: 'Onboarding without a screen: the wizard answered by a config file (resumable)',
  help: () => HELP,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('onboard', args, { config: { type: 'string' }, json: { type: 'boolean', default: false } });
    if (!values.config) throw new UsageError('riglease onboard needs --config FILE.', 'See `riglease onboard --help` for the file format.');
    const file = values.config;
    const config = await loadOnboardConfig(file);
    const result = await ctx.withAgent(async (api) => {
      const off = follow(api, ctx);
      try {
        await applyAnswers(api, config, file, ctx);
        const walked = await walk(api, config, ctx);
        // "Providing" is only said once tenants are proven to reach the rig from outside (ports + DNS).
        if (!walked.finished) return { ...walked, reachability: null };
        const r = await runMethod(api, 'network.reachability', { refresh: true });
        return { ...walked, reachability: { verified: r.verified, headline: r.headline, reasons: r.reasons } };
      } finally {
        off();
      }
    });
    printResult(ctx, result, { json: values.json, human: (r) =>
        !r.finished
          ? `Stopped at "${r.stoppedAt?.step}": ${r.stoppedAt?.reason ?? ''}`
          : r.reachability?.verified
            ? 'Onboarding finished: this rig is providing.'
            : `Onboarding finished, but this rig is not yet reachable from the internet, so tenants cannot rent it. ${r.reachability?.headline ?? ''}\n${(r.reachability?.reasons ?? []).map((x) => `  - ${x}`).join('\n')}\nFix that, then check with \`riglease network\` and \`riglease bench ports\`.`,
    });
    return result.finished ? 0 : 1;
  },
};

/** Settings and the wallet from the config; the wallet is imported only when absent, so a re-run changes nothing. */
async function applyAnswers(api: InProcessApi, config: OnboardConfig, file: string, ctx: CliContext): Promise<void> {
  const wallet = await runMethod(api, 'wallet.info', {});
  if ('mnemonicFile' in config.wallet) {
    // The chain libraries load only for a command that needs them.
    const { addressOf, validateMnemonic } = await import('../../provider/chain/mnemonic.js');
    const phrase = validateMnemonic(await readMnemonicFile(file, config.wallet.mnemonicFile, (l) => ctx.err(`${l}\n`)));
    const address = await addressOf(phrase);
    if (wallet.exists && wallet.address !== address) {
      throw new RigError('conflict', `A different wallet (${wallet.address}) already exists here; the phrase in ${config.wallet.mnemonicFile} is for ${address}.`, 'Use wallet: { existing: true }, or replace the wallet with `riglease wallet import --replace` after saving the old phrase.');
    }
    if (!wallet.exists) {
      await runMethod(api, 'wallet.import', { mnemonic: phrase, replace: false });
      ctx.err(`wallet: imported ${address}\n`);
    }
  } else if (!wallet.exists) {
    throw new RigError('precondition_failed', 'The config says wallet: { existing: true }, but there is no wallet here.', 'Import one (wallet: { mnemonicFile: PATH }) or run `riglease wallet create` first.');
  }
  const n = config.network;
  // Validated as the settings screen's are (the config was checked against the same schemas
  // already), and written together: a refusal leaves none of them half-applied.
  const current = await runMethod(api, 'settings.all', {});
  await runMethod(api, 'settings.setMany', {
    changes: [
      { key: 'stack.domain', value: n.domain },
      { key: 'stack.gpus', value: config.gpus === 'none' ? [] : config.gpus },
      ...(n.ports ? [{ key: 'stack.ports', value: { ...current.stack.ports, ...n.ports } }] : []),
      { key: 'chain.provider', value: { ...current.chain.provider, hostUri: hostUriFor(n.domain), ...config.provider } },
    ],
  });
  const p = config.pricing;
  const patch: Record<string, unknown> = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
  if (Object.keys(patch).length > 0) {
    const { issues } = await runMethod(api, 'pricing.set', { patch });
    for (const i of issues) ctx.err(`pricing: ${i.message}\n`);
  }
}

interface OnboardResult {
  finished: boolean;
  stoppedAt: { step: string; status: string; reason: string | null } | null;
  wallet: string | null;
  steps: { id: string; status: string; reason: string | null; attempts: number }[];
}

/** Walks the wizard, confirming what the config answers, retrying a failed step once per run. */
async function walk(api: InProcessApi, config: OnboardConfig, ctx: CliContext): Promise<OnboardResult> {
  let state = await runMethod(api, 'onboarding.next', {});
  const tried = new Set<string>();
  for (let i = 0; i < WALKS && !state.finished; i++) {
    const step = state.steps.find((s) => s.id === state.current);
    if (!step || tried.has(`${step.status}:${step.id}`)) break;
    tried.add(`${step.status}:${step.id}`);
    if (step.status === 'failed') {
      ctx.err(`${step.id}: failed earlier; trying again\n`);
      state = await runMethod(api, 'onboarding.retry', { step: step.id });
    } else if (step.status === 'todo' && (await confirmable(api, config, step))) {
      if (step.id === 'review') for (const line of await reviewSummary(api)) ctx.err(`review: ${line}\n`);
      else if (step.reason) ctx.err(`${step.id}: ${step.reason}\n`);
      ctx.err(`${step.id}: confirmed by the config\n`);
      state = await runMethod(api, 'onboarding.next', { confirm: step.id });
    } else {
      break;
    }
  }
  return result(api, state);
}

/** What "Start providing" is about to do, as the review screen shows it. */
async function reviewSummary(api: InProcessApi): Promise<string[]> {
  const s = await runMethod(api, 'settings.all', {});
  const gpus = s.stack.gpus === 'all' ? 'every NVIDIA GPU' : s.stack.gpus.length === 0 ? 'none (CPU only)' : s.stack.gpus.join(', ');
  const lines = [`wallet ${(await runMethod(api, 'wallet.info', {})).address ?? 'none'}`, `GPUs offered: ${gpus}`, `provider address ${s.chain.provider.hostUri ?? 'not set'}`];
  try {
    // The dry run of what "Start providing" registers: this scan, these settings, the farm's GPUs if any.
    const { plan } = await runMethod(api, 'provider.register', { dryRun: true });
    if (!plan) throw new Error('the dry run returned no plan');
    lines.push(`on chain: ${plan.action === 'none' ? 'already registered' : plan.action}${plan.certificate.needed ? ' + certificate' : ''}${plan.fee ? `, fee ${plan.fee.feeUakt} uakt` : ''}`);
  } catch (err) {
    lines.push(`on chain: could not be planned (${err instanceof Error ? err.message : String(err)})`);
  }
  return lines;
}

async function confirmable(api: InProcessApi, config: OnboardConfig, step: OnboardingStepView): Promise<boolean> {
  switch (step.id) {
    case 'fixes': {
      // The report the wizard's readiness and fixes steps just made (reused, not scanned again).
      const report = await runMethod(api, 'hardware.scan', { maxAgeMs: LAST_SCAN_MAX_AGE_MS }).catch(() => null);
      const left = report ? blockingChecks(report) : [];
      return left.length > 0 && left.every((b) => !b.hard && config.acceptBlockers.includes(b.id));
    }
    case 'pricing':
    case 'review':
      return true;
    case 'network':
      return config.network.acceptUntestedPorts;
    default:
      return false;
  }
}

async function result(api: InProcessApi, state: OnboardingState): Promise<OnboardResult> {
  const stopped = state.finished ? null : state.steps.find((s) => s.id === state.current) ?? null;
  const info = await runMethod(api, 'wallet.info', {});
  return {
    finished: state.finished,
    stoppedAt: stopped ? { step: stopped.id, status: stopped.status, reason: stopped.reason ?? (stopped.id === 'fixes' ? null : stopped.failureText) } : null,
    wallet: info.address,
    steps: state.steps.map((s) => ({ id: s.id, status: s.status, reason: s.reason, attempts: s.attempts })),
  };
}

/** Progress on stderr: every step change, and the live log of "Start providing". */
function follow(api: InProcessApi, ctx: CliContext): () => void {
  const seen = new Map<string, string>();
  const offSteps = api.hub.subscribe('onboarding.changed', (s) => {
    s.steps.forEach((step, i) => {
      if (seen.get(step.id) === step.status) return;
      seen.set(step.id, step.status);
      if (step.status !== 'pending') ctx.err(`[${i + 1}/${s.steps.length}] ${step.title}: ${step.status}${step.status === 'failed' && step.reason ? ` — ${step.reason}` : ''}\n`);
    });
  });
  const printed = new Map<string, number>();
  const offTasks = api.hub.subscribe('task.progress', (t) => {
    if (t.kind !== START_PROVIDING_TASK) return;
    const from = printed.get(t.task) ?? 0;
    for (const line of t.log.slice(from)) ctx.err(`  ${line}\n`);
    printed.set(t.task, t.log.length);
  });
  return () => {
    offSteps();
    offTasks();
  };
}
