import { RigError } from '../../api/errors.js';

/**
 * Opening a range in the tenants' egress fence (`stack.allowPrivateEgress`) lets the containers
 * of every stranger who rents this rig reach the machines in it. That must be the person's
 * decision, made knowingly: a change that adds ranges is refused unless it is confirmed, and the
 * refusal names what would open. Narrowing or removing ranges needs nothing.
 */
export function newlyOpened(before: readonly string[], after: readonly string[]): string[] {
  const had = new Set(before);
  return [...new Set(after)].filter((c) => !had.has(c));
}

export function requireEgressConfirmation(before: readonly string[], after: readonly string[], confirmed: boolean): void {
  const opened = newlyOpened(before, after);
  if (opened.length === 0 || confirmed) return;
  throw new RigError(
    'precondition_failed',
    `This opens ${opened.join(', ')} of your own network to every tenant's containers: whatever listens there (router admin page, NAS, printers, other PCs) becomes reachable by strangers who rent this rig. Nothing was changed.`,
    'If that is what you want, confirm it: `riglease settings set stack.allowPrivateEgress VALUE --yes` (API: settings.set with confirm: true). Prefer single addresses (/32) over ranges.',
  );
}
