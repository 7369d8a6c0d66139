import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';
import { createOrdersViewService } from '../orders/orders-wiring.js';
import type { OrdersViewService } from '../orders/orders-view-service.js';

export function ordersHandlers(agent: Agent): { 'orders.log': Handler<'orders.log'>; 'orders.open': Handler<'orders.open'> } {
  let svc: OrdersViewService | null = null;
  const get = () => (svc ??= createOrdersViewService(agent));
  return {
    'orders.log': async ({ sinceHours }) => get().log(sinceHours),
    'orders.open': async ({ sinceHours }) => get().openOrders(sinceHours),
  };
}
