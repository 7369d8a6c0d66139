import type { Handler } from '../../api/dispatch.js';
import { createOrdersViewService, type OrdersDeps } from '../orders/orders-wiring.js';
import type { OrdersViewService } from '../orders/orders-view-service.js';

export function ordersHandlers(deps: OrdersDeps): { 'orders.log': Handler<'orders.log'>; 'orders.open': Handler<'orders.open'> } {
  let svc: OrdersViewService | null = null;
  const get = () => (svc ??= createOrdersViewService(deps));
  return {
    'orders.log': async ({ sinceHours }) => get().log(sinceHours),
    'orders.open': async ({ sinceHours }) => get().openOrders(sinceHours),
  };
}
