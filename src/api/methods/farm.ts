import { z } from 'zod';
import { method } from '../method.js';
import { TaskRef } from '../schemas/task.js';
import { FarmActionResult, FarmBidding, FarmLeaveResult, FarmRevokeResult, FarmJoinResult, FarmMachineInput, FarmPauseAllInput, FarmRemoveInput, FarmStatus, FarmStatusInput, FarmToken, FarmTokenInput } from '../schemas/farm.js';

export const farmMethods = {
  'farm.token': method({
    input: FarmTokenInput,
    output: FarmToken,
    summary: 'Make this machine the farm controller and print a join code (k3s URL + token, fleet API, pairing secret) for another machine; re-creates the stack for the farm when no lease runs (recreate: true when leases run)',
  }),
  'farm.join': method({
    input: z.object({ code: z.string().min(1).max(4096) }).strict(),
    output: FarmJoinResult,
    summary: 'Join this machine to a farm: readiness scan, the k3s agent container, registration with the controller',
    sensitive: true,
  }),
  'farm.joinStart': method({
    input: z.object({ code: z.string().min(1).max(4096) }).strict(),
    output: TaskRef,
    summary: 'farm.join as a task: each step and the k3s image download as progress; the task result is the join result',
    sensitive: true,
  }),
  'farm.status': method({
    input: FarmStatusInput,
    output: FarmStatus,
    summary: 'The farm\'s machines (a page of them with offset/limit, controller first, then by joining order; totals over all): role, node state, GPUs with live telemetry, availability, last seen. Changes are announced by the farm.changed event',
  }),
  'farm.pause': method({ input: FarmMachineInput, output: FarmActionResult, summary: 'Cordon one machine\'s node: no new lease lands there, running leases continue' }),
  'farm.resume': method({ input: FarmMachineInput, output: FarmActionResult, summary: 'Uncordon one machine\'s node again' }),
  'farm.pauseAll': method({
    input: FarmPauseAllInput,
    output: FarmBidding,
    summary: 'Pause the whole farm: the provider bids for none of its machines (the bid table\'s paused flag); running leases continue',
  }),
  'farm.resumeAll': method({ input: z.object({}).strict(), output: FarmBidding, summary: 'Lift the whole-farm pause: the provider bids again (machines paused on their own stay cordoned)' }),
  'farm.offline': method({
    input: FarmRemoveInput,
    output: FarmActionResult,
    summary: 'Take one machine offline: cordon and drain its node (the leases on it end). Refused without confirm: true, listing the leases that would end',
  }),
  'farm.revokeToken': method({
    input: z.object({ id: z.string().regex(/^[a-z0-9]{6}$/, 'the six-character id shown with the code') }).strict(),
    output: FarmRevokeResult,
    summary: 'Revoke a join code: its k3s bootstrap token is deleted and it registers nobody any more (machines that joined with it stay)',
  }),
  'farm.leave': method({
    input: z.object({ confirm: z.boolean().default(false) }).strict(),
    output: FarmLeaveResult,
    summary: 'On a member: leave the farm, removing this machine\'s k3s agent and forgetting its pairing. Refused without confirm: true, saying what goes',
  }),
  'farm.remove': method({
    input: FarmRemoveInput,
    output: FarmActionResult,
    summary: 'Drain and delete a machine\'s node and forget its pairing (its agent stops on its next heartbeat). Refused without confirm: true',
  }),
} as const;
