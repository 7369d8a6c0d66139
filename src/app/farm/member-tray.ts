import type { AvailabilityStatus } from '../../api/methods/availability.js';
import type { FarmMemberNode } from '../../api/schemas/farm.js';
import type { TrayIcon } from '../desktop/tray-state.js';

/**
 * The tray of a farm member. It runs no provider of its own (no stack: a k3s agent container
 * instead), so "not installed" says nothing; what counts is its node on the controller: cordoned
 * while it is paused or gaming, drained when offline, and whether the controller has heard the
 * switch yet (a pause the controller has not heard does not keep leases away).
 */
export function memberTrayState(a: AvailabilityStatus, farm: FarmMemberNode, hhmm: (iso: string) => string): { icon: TrayIcon; line: string } {
  const ctl = farm.controller;
  if (!farm.told) {
    const icon: TrayIcon = a.activity === 'online' ? 'online' : a.activity === 'offline' ? 'offline' : a.activity === 'gaming' ? 'gaming' : 'paused';
    return { icon, line: `${a.activity === 'online' ? 'Online' : a.activity === 'gaming' ? 'Gaming' : a.activity === 'offline' ? 'Offline' : 'Paused'} — ${ctl} not told yet${farm.error ? ' (unreachable)' : ''}` };
  }
  const pending = farm.applied ? '' : ' (k3s not updated yet)';
  switch (a.activity) {
    case 'offline':
      return { icon: 'offline', line: `Offline — node drained by ${ctl}${pending}` };
    case 'online':
      return farm.intent === 'cordoned'
        ? { icon: 'paused', line: `Paused from ${ctl}'s fleet view — no new leases${pending}` }
        : { icon: 'online', line: `Online — taking leases in ${ctl}'s farm${pending}` };
    case 'gaming':
      return { icon: 'gaming', line: `Gaming${a.gaming.processes.length ? ` (${a.gaming.processes.slice(0, 2).join(', ')})` : ''} — node cordoned by ${ctl}${pending}` };
    default: {
      const until = a.activity === 'paused' && a.pausedUntil ? ` until ${hhmm(a.pausedUntil)}` : '';
      return { icon: 'paused', line: `Paused${until} — node cordoned by ${ctl}, leases continue${pending}` };
    }
  }
}

/** The switch's words on a member: its node, not bidding, is what changes. */
export function memberMenuLabels(): { pause: string; resume: string; online: string; offline: string } {
  return { pause: 'Pause this machine (no new leases)', resume: 'Resume (take new leases)', online: 'Go online (take leases again)', offline: 'Go offline (drain this machine)…' };
}

/** The switch's words on a farm controller with members: its own pause cordons only this machine. */
export function controllerMenuLabels(): { pause: string; resume: string; online: string; offline: string } {
  return { pause: 'Pause this machine (the farm keeps bidding)', resume: 'Resume this machine', online: 'Go online (start the provider)', offline: 'Go offline (stops the whole farm)…' };
}
