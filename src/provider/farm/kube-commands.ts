/**
 * The kubectl commands the controller runs in its k3s server container (kubectl is a k3s
 * multi-call link there, as the stack's own probes use it) for per-machine availability and removal. Pure, so what would run is tested
 * even where k3s cannot boot.
 */
export type NodeAction = 'cordon' | 'uncordon' | 'drain' | 'delete';

export function kubectlFor(action: NodeAction, node: string): string[] {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(node)) throw new Error(`not a node name: ${node}`);
  switch (action) {
    case 'cordon':
      // No new lease lands on the node; running pods stay.
      return ['kubectl', 'cordon', node];
    case 'uncordon':
      return ['kubectl', 'uncordon', node];
    case 'drain':
      // Evicts tenants' pods (their leases end there); the device plugin and other DaemonSets stay.
      return ['kubectl', 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--grace-period=60', '--timeout=180s'];
    case 'delete':
      return ['kubectl', 'delete', 'node', node, '--ignore-not-found', '--wait=false'];
  }
}

/** The commands removing a machine runs, in order: drain it, then delete the node. */
export function removalCommands(node: string): string[][] {
  return [kubectlFor('cordon', node), kubectlFor('drain', node), kubectlFor('delete', node)];
}
