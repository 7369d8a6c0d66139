/**
 * A member's k3s advertises one LAN address (`--node-external-ip`): the controller and the other
 * machines reach its kubelet (10250/tcp) and its end of the pod network (8472/udp, 51820/udp)
 * there. Its requests to the fleet API come from some address too. On one LAN the two are the
 * same; when they differ, something sits between (a NAT: a router, a VPN, Docker Desktop's VM) or
 * the machine picked another network interface than the one it talks to the controller on, and
 * the others may not reach its node at all. Said in plain words, with what to do; never guessed
 * away: both addresses are shown.
 */
export function advertisedAddressWarning(hostname: string, advertised: string | null, seenFrom: string | null): string | null {
  if (advertised === null || seenFrom === null) return null;
  if (sameAddress(advertised, seenFrom)) return null;
  return (
    `${hostname}'s k3s tells the farm to reach it at ${advertised}, but its messages reach this controller from ${seenFrom}. ` +
    'Something between the two translates addresses (a router, a VPN) or it uses another network connection than the one it advertises, so the other machines may not reach its node: its GPUs would not be offered. ' +
    `If ${seenFrom} is the right address, run \`riglease settings set farm.advertiseAddress ${seenFrom}\` on ${hostname} and join again; if ${advertised} is right, connect ${hostname} to the controller's network directly.`
  );
}

function sameAddress(a: string, b: string): boolean {
  const plain = (x: string) => x.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '').toLowerCase();
  if (plain(a) === plain(b)) return true;
  // A member on the controller's own computer (tests, a second k3s beside the first) talks over loopback either way.
  const loop = (x: string) => /^127\./.test(plain(x)) || plain(x) === '::1';
  return loop(a) && loop(b);
}
