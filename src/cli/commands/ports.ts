import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { formatPortMapResult, formatPortsStatus } from '../format/bench.js';
import { printResult, runMethod } from '../run-method.js';

const WHAT = ['status', 'map', 'unmap'] as const;

/**
 * Router port mapping from the command line. A command of its own rather than `bench ports
 * --map`: `bench ports` measures (and stores a benchmark run), while this changes the router.
 */
export const portsCommand: CliCommand = {
  name: 'ports',
  summary: 'Provider ports 80, 443, 8443, 8444: NAT status, and asking the router to forward them (NAT-PMP / UPnP)',
  help: () => `Usage: riglease ports [status] [--json]
       riglease ports map [--lifetime SEC] [--json]
       riglease ports unmap [--json]

  status   this computer's address and whether it is behind NAT, the router mappings RigLease
           holds (and until when), and the last outside check (\`riglease bench ports\`).
           Asks no router and no probe.
  map      asks the router to forward TCP 80, 443, 8443, 8444 to the host ports the stack
           publishes them on (stack.ports): NAT-PMP (RFC 6886) first, then UPnP IGD. The
           router keeps them for --lifetime seconds (default 7200). The desktop app and
           \`riglease serve\` renew them while they run; after this command exits nothing
           renews them, so run it again, or make a permanent rule in the router.
  unmap    removes the mappings RigLease holds, whichever RigLease process made them.

Exit code: map 0 when at least one port was mapped, unmap 0 when everything held was removed
(or nothing was held), 1 otherwise (the output says what to forward by hand), 2 on a usage error.

Environment (tests, unusual networks):
  RIGLEASE_NAT_PMP_GATEWAY=ip[:port]   where NAT-PMP asks (default: the default gateway)
  RIGLEASE_UPNP_SSDP=ip[:port]         where UPnP discovery asks (default: the SSDP multicast group)`,
  run: async (args, ctx) => {
    const { values, positionals } = parseCommandArgs('ports', args, { json: { type: 'boolean', default: false }, lifetime: { type: 'string' } }, { max: 1 });
    const what = positionals[0] ?? 'status';
    if (!(WHAT as readonly string[]).includes(what)) throw new UsageError(`riglease ports: unknown action ${JSON.stringify(what)}.`, `Use one of: ${WHAT.join(', ')}.`);
    if (values.lifetime !== undefined && what !== 'map') throw new UsageError('--lifetime only goes with `riglease ports map`.');
    const json = values.json;
    if (what === 'status') {
      const status = await ctx.withAgent((agent) => runMethod(agent, 'bench.portsStatus', {}));
      printResult(ctx, status, { json, human: formatPortsStatus });
      return 0;
    }
    if (what === 'map') {
      const lifetime = values.lifetime;
      if (lifetime !== undefined && !/^\d+$/.test(lifetime)) throw new UsageError(`--lifetime must be whole seconds (60–86400), not ${JSON.stringify(lifetime)}.`);
      const r = await ctx.withAgent((agent) => runMethod(agent, 'bench.mapPorts', { ...(lifetime === undefined ? {} : { lifetimeSec: Number(lifetime) }) }));
      printResult(ctx, r, { json, human: (v) => formatPortMapResult(v, 'map') });
      return r.mappings.some((m) => m.ok) ? 0 : 1;
    }
    const r = await ctx.withAgent((agent) => runMethod(agent, 'bench.mapPorts', { remove: true }));
    printResult(ctx, r, { json, human: (v) => formatPortMapResult(v, 'unmap') });
    return r.mappings.every((m) => m.ok) ? 0 : 1;
  },
};
