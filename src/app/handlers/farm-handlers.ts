import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

type FarmMethod = 'farm.token' | 'farm.join' | 'farm.joinStart' | 'farm.status' | 'farm.pause' | 'farm.resume' | 'farm.remove' | 'farm.offline' | 'farm.pauseAll' | 'farm.resumeAll' | 'farm.leave' | 'farm.revokeToken';

export function farmHandlers(agent: Agent): { [M in FarmMethod]: Handler<M> } {
  const farm = () => agent.farm;
  return {
    'farm.token': ({ validMinutes, recreate }) => farm().token(validMinutes, { recreate }),
    'farm.join': ({ code }) => farm().join(code),
    'farm.joinStart': async ({ code }) => farm().joinTask(code),
    'farm.status': ({ offset, limit }) => farm().status(limit === undefined ? {} : { offset, limit }),
    'farm.pause': ({ machine }) => farm().pause(machine),
    'farm.resume': ({ machine }) => farm().resume(machine),
    'farm.remove': ({ machine, confirm }) => farm().remove(machine, confirm),
    'farm.leave': ({ confirm }) => farm().member.leave(confirm),
    'farm.revokeToken': ({ id }) => farm().revokeToken(id),
    'farm.offline': ({ machine, confirm }) => farm().offline(machine, confirm),
    'farm.pauseAll': ({ reason }) => farm().controllerAvailability.setFarmPause(true, reason ?? null),
    'farm.resumeAll': () => farm().controllerAvailability.setFarmPause(false, null),
  };
}
