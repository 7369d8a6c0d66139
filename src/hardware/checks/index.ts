import type { Check, HardwareReport } from '../../api/schemas/hardware.js';
import { dockerChecks } from './docker-checks.js';
import type { HardwareFacts } from './facts.js';
import { gpuChecks } from './gpu-checks.js';
import { gpuOfferChecks } from './gpu-offer-checks.js';
import { systemChecks } from './system-checks.js';

export type { HardwareFacts } from './facts.js';

/** All readiness checks, GPU first (what the user came for), then the machine, then Docker. */
export function runChecks(facts: HardwareFacts): Check[] {
  return [...gpuChecks(facts), ...gpuOfferChecks(facts), ...systemChecks(facts), ...dockerChecks(facts)];
}

/** Blocked if anything blocks, needs attention if anything warns, else ready. */
export function verdictOf(checks: readonly Check[]): HardwareReport['verdict'] {
  if (checks.some((c) => c.status === 'block')) return 'blocked';
  if (checks.some((c) => c.status === 'warn')) return 'needs_attention';
  return 'ready';
}
