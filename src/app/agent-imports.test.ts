import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclicGroups, importGraph } from '../../test/import-graph.js';

const SRC = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const AGENT = path.join(SRC, 'app', 'agent.ts');
const rel = (f: string) => path.relative(SRC, f);

/**
 * agent.ts is the composition root: it imports every room and no room may import it back at
 * load time, or start-up order (a class used before its module finished loading) depends on
 * which file happened to be imported first. Type-only imports of Agent are fine: they vanish.
 */
describe('import cycles in src/', () => {
  const graph = importGraph(SRC);
  const groups = cyclicGroups(graph);

  it('none runs through src/app/agent.ts', () => {
    const withAgent = groups.find((g) => g.includes(AGENT));
    expect(withAgent?.map(rel) ?? []).toEqual([]);
  });

  it('no new load-time cycle anywhere in src/ (the count only goes down)', () => {
    // Each entry is one group of files that import each other in a ring; fix one, lower the number.
    const KNOWN_CYCLIC_GROUPS = 0;
    expect(groups.map((g) => g.map(rel))).toHaveLength(KNOWN_CYCLIC_GROUPS);
  });

  it('only the files still waiting to become rooms import agent.ts, even for its types (the list only shrinks)', () => {
    // A room gets a deps interface of its own from the assembly (src/app/agent.ts) and never
    // sees the Agent. Hosts hold an Agent by nature (they build and serve one). Remove a file
    // from this list when it stops importing agent.ts; a file not on it fails the test.
    const WAITING: string[] = [];
    // The three that build an Agent. CLI commands see the contract (cli/in-process-api.ts), and
    // the two that host it (serve, doctor --field) the narrow CliHost that cli.ts makes of it.
    const HOSTS = ['app/demo/demo-agent.ts', 'app/headless-host.ts', 'cli/cli.ts'];
    const typed = importGraph(SRC, { withTypes: true });
    const importers = [...typed].filter(([, deps]) => deps.includes(AGENT)).map(([f]) => rel(f)).sort();
    expect(importers).toEqual([...WAITING, ...HOSTS].sort());
  });
});
