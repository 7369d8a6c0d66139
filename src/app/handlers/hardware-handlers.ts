import type { Handler } from '../../api/dispatch.js';
import type { EventHub } from '../../core/event-hub.js';
import type { HardwareService } from '../../hardware/index.js';

export interface HardwareHandlerDeps {
  hardware: Pick<HardwareService, 'scan'>;
  hub: Pick<EventHub, 'publish'>;
}

export function hardwareHandlers(deps: HardwareHandlerDeps): { 'hardware.scan': Handler<'hardware.scan'> } {
  return {
    'hardware.scan': async ({ maxAgeMs }) => {
      const report = await deps.hardware.scan({ maxAgeMs });
      deps.hub.publish('hardware.report', report);
      return report;
    },
  };
}
