import { RigError } from '../../api/errors.js';

/** k3s's certificates and the join code's expiry both need clocks within a few minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Refuses when this machine's clock and the controller's differ by more than the limit. */
export function checkClockSkew(localNow: number, controllerNow: number, limitMs = MAX_CLOCK_SKEW_MS): void {
  const skew = localNow - controllerNow;
  if (Math.abs(skew) <= limitMs) return;
  const minutes = Math.round(Math.abs(skew) / 60_000);
  throw new RigError(
    'precondition_failed',
    `This machine's clock is ${minutes} minutes ${skew > 0 ? 'ahead of' : 'behind'} the controller's, so the cluster's certificates would not be accepted.`,
    'Turn on automatic time (Windows: Settings → Time → Set time automatically; Linux: `sudo timedatectl set-ntp true`) on both machines, then join again.',
  );
}

/** Both ends must run the same k3s; a newer agent than its server is not supported by Kubernetes. */
export function checkK3sVersion(local: string, controller: string): void {
  if (local === controller) return;
  throw new RigError(
    'precondition_failed',
    `The controller runs k3s ${controller} but this machine's RigLease brings k3s ${local}.`,
    'Update RigLease on both machines to the same version (then `riglease stack upgrade` on the controller), and join again.',
  );
}
