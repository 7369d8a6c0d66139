import { describe, expect, it } from 'vitest';
import { iptablesCalls } from '../../../test/stack/fence-container.js';
import { stackSuite } from '../../../test/stack/stack-suite.js';
import { NODE_ADDRESSES, egressRules } from './egress.js';

describe("the egress block keeps the node's own address reachable", () => {
  it("plans a RETURN for the node's address before the DROP of the Docker range it sits in, and none for the gateway", () => {
    const rules = egressRules([]);
    const self = rules.findIndex((r) => r.cidr === NODE_ADDRESSES);
    const docker = rules.findIndex((r) => r.cidr === '172.16.0.0/12');
    expect(self).toBeGreaterThanOrEqual(0);
    expect(rules[self]!.action).toBe('allow');
    expect(self).toBeLessThan(docker);
    expect(rules[docker]!.action).toBe('drop');
    expect(rules[self]!.why).toMatch(/kubelet/);
  });
});

await stackSuite("the entry script learns the container's address at start (real engine, stand-in iptables)", ({ docker: engineDocker, env }) => {
  it("RETURNs the container's own Docker-network address before the DROPs, and the gateway stays dropped", async () => {
    const e = await env();
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const c = engineDocker().getContainer(`${e.prefix}-k3s`);
    const net = (await c.inspect()).NetworkSettings.Networks[`${e.prefix}-net`]!;
    // Docker hands out 172.16/12 first, then 192.168/16 (/20s) when those run out, as on this busy
    // engine: either way a DROPped range, which is why the address itself is RETURNed.
    expect(net.IPAddress).toMatch(/^(172\.(1[6-9]|2\d|3[01])|192\.168)\./);
    const calls = await iptablesCalls(c);
    const self = calls.indexOf(`-t mangle -A RIGLEASE-EGRESS -d ${net.IPAddress}/32 -j RETURN`);
    const firstDrop = calls.findIndex((l) => l.endsWith('-j DROP'));
    expect(self, calls.join('\n')).toBeGreaterThan(0);
    expect(self).toBeLessThan(firstDrop);
    expect(calls).toContain('-t mangle -A RIGLEASE-EGRESS -d 172.16.0.0/12 -j DROP');
    expect(calls).toContain('-t mangle -A RIGLEASE-EGRESS -d 192.168.0.0/16 -j DROP');
    // Only the node's own address: not loopback, not the gateway (this computer), nothing else.
    const returns = calls.filter((l) => l.endsWith('/32 -j RETURN'));
    expect(returns).toEqual([`-t mangle -A RIGLEASE-EGRESS -d ${net.IPAddress}/32 -j RETURN`]);
    expect(calls.join('\n')).not.toContain(`-d ${net.Gateway}/32`);
    const logs = await e.service.logs('k3s', 50);
    expect(logs.lines.map((l) => l.line).join('\n')).toContain(`riglease-entry: this node's own address(es): ${net.IPAddress}`);
  });
});
