import type { Handler } from '../../api/dispatch.js';
import type { AvailabilityService } from '../availability/availability-service.js';

export function availabilityHandlers(availability: Pick<AvailabilityService, 'tick' | 'set' | 'history'>): {
  'availability.get': Handler<'availability.get'>;
  'availability.set': Handler<'availability.set'>;
  'availability.history': Handler<'availability.history'>;
} {
  return {
    // A fresh evaluation (GPU processes come from a scan at most one check interval old).
    'availability.get': async () => availability.tick(),
    'availability.set': async (input) => availability.set(input),
    'availability.history': async ({ limit }) => availability.history.read(limit),
  };
}
