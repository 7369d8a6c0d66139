import { QueryProviderRequest, QueryProviderResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { QueryCertificatesRequest, QueryCertificatesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { ChainQueryError, type ChainClient } from './chain-client.js';
import type { Attribute } from './attributes.js';

export interface OnChainProvider {
  owner: string;
  hostUri: string;
  attributes: Attribute[];
  info: { email: string; website: string };
}

/** The provider record for `owner`, or null when it is not registered. */
export async function queryProvider(client: ChainClient, owner: string): Promise<OnChainProvider | null> {
  try {
    const bytes = await client.query('/akash.provider.v1beta4.Query/Provider', QueryProviderRequest.encode({ owner }).finish());
    const p = QueryProviderResponse.decode(bytes).provider;
    if (!p) return null;
    return { owner: p.owner, hostUri: p.hostUri, attributes: p.attributes.map((a) => ({ key: a.key, value: a.value })), info: { email: p.info?.email ?? '', website: p.info?.website ?? '' } };
  } catch (err) {
    if (err instanceof ChainQueryError && err.notFound) return null;
    throw err;
  }
}

const CERT_STATE = ['invalid', 'valid', 'revoked'] as const;

export async function queryCertificates(client: ChainClient, owner: string): Promise<{ serial: string; state: string; pem: string }[]> {
  const out: { serial: string; state: string; pem: string }[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let page = 0; page < 20; page++) {
    const req = QueryCertificatesRequest.fromPartial({ filter: { owner, serial: '', state: '' }, pagination: { key, limit: 100 } });
    const res = QueryCertificatesResponse.decode(await client.query('/akash.cert.v1.Query/Certificates', QueryCertificatesRequest.encode(req).finish()));
    for (const c of res.certificates) {
      out.push({ serial: c.serial, state: (CERT_STATE as readonly string[])[Number(c.certificate?.state ?? 0)] ?? 'invalid', pem: Buffer.from(c.certificate?.cert ?? new Uint8Array()).toString('utf8') });
    }
    key = res.pagination?.nextKey ?? new Uint8Array();
    if (key.length === 0) break;
  }
  return out;
}
