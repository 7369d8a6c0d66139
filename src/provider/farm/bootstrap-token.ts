import { RigError } from '../../api/errors.js';

/**
 * The k3s credential a join code carries: a bootstrap token made for that code alone, with the
 * code's lifetime, never k3s's server token (`/var/lib/rancher/k3s/server/token`, the same as
 * `node-token` unless `--agent-token` is set), which "essentially has full administrator access
 * to the cluster" (docs.k3s.io/cli/token, "Server"). Bootstrap tokens join agents only, never
 * servers, expire by themselves (`k3s token create --ttl`, k3s's tokencleaner removes them) and
 * can be deleted (`k3s token delete ID`) (docs.k3s.io/cli/token, "Bootstrap"; k3s
 * docs/adrs/agent-join-token.md). An agent that joined keeps restarting after its token expired:
 * k3s lets it in by Node Authorization, unless its Node was deleted (the same ADR, "Decision").
 * No `--agent-token` is needed then: no long-lived join secret is handed out at all.
 */

/** `<id>.<secret>` as kubeadm/k3s write bootstrap tokens: 6 and 16 of [a-z0-9]. */
const TOKEN = /(?:K10[0-9a-f]{64}::)?([a-z0-9]{6})\.([a-z0-9]{16})/;
export const TOKEN_ID = /^[a-z0-9]{6}$/;

export function createTokenCommand(validMinutes: number, description: string): string[] {
  return ['k3s', 'token', 'create', '--ttl', `${Math.max(1, Math.round(validMinutes))}m`, '--description', description];
}

export function deleteTokenCommand(id: string): string[] {
  if (!TOKEN_ID.test(id)) throw new RigError('invalid_input', `${JSON.stringify(id)} is not a join token id (six lower-case letters or digits).`, 'Copy the id shown with the code (`riglease farm token`) or on the Fleet screen.');
  return ['k3s', 'token', 'delete', id];
}

/** The token `k3s token create` printed (its whole secure form when it has one) and its id. */
export function parseCreatedToken(stdout: string): { token: string; id: string } {
  const m = TOKEN.exec(stdout);
  if (!m) throw new RigError('unavailable', 'k3s did not hand out a join token.', 'Wait until `riglease stack status` shows k3s ready, then make the code again.');
  return { token: m[0], id: m[1]! };
}
