import type { Migration } from './json-file.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 → 2: the stack left ingress-nginx for Akash's Gateway API path (NGINX Gateway
 * Fabric). `stack.ingress: "ingress-nginx"` now means that path (`gateway-api`), so a user who
 * had the old default keeps a working stack instead of falling back to defaults; the ingress-nginx
 * image override has nothing left to override; the inventory operator's storage classes are no
 * longer a setting but follow the hardware (`ram` only with GPUs, as Akash's playbook does).
 */
export const stackGatewayApi: Migration = (data) => {
  if (!isObj(data) || !isObj(data['stack'])) return data;
  const stack: Obj = { ...data['stack'] };
  if (stack['ingress'] === 'ingress-nginx') stack['ingress'] = 'gateway-api';
  delete stack['clusterStorage'];
  if (isObj(stack['images'])) {
    const images: Obj = { ...stack['images'] };
    delete images['ingressController'];
    stack['images'] = images;
  }
  return { ...data, stack };
};

/** `SETTINGS_MIGRATIONS[i]` turns the settings of version i+1 into version i+2. */
export const SETTINGS_MIGRATIONS: Migration[] = [stackGatewayApi];
export const SETTINGS_VERSION = SETTINGS_MIGRATIONS.length + 1;
