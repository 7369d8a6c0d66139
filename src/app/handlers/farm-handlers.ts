import type { Handler } from '../../api/dispatch.js';
import type { FarmService } from '../farm/farm-service.js';

type FarmMethod = 'farm.token' | 'farm.join' | 'farm.joinStart' | 'farm.status' | 'farm.pause' | 'farm.resume' | 'farm.remove' | 'farm.offline' | 'farm.pauseAll' | 'farm.resumeAll' | 'farm.leave' | 'farm.revokeToken';

/** The farm service is asked for at each call: it is built on first use. */
export function farmHandlers(farm: () => FarmService): { [M in FarmMethod]: Handler<M> } {
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
