import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function hardwareHandlers(agent: Agent): { 'hardware.scan': Handler<'hardware.scan'> } {
  return {
    'hardware.scan': async ({ maxAgeMs }) => {
      const report = await agent.hardware.scan({ maxAgeMs });
      agent.hub.publish('hardware.report', report);
      return report;
    },
  };
}
