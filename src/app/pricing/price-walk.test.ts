import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../test/import-graph.js';

const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SRC = path.join(ROOT, 'src');
const at = (rel: string) => path.join(ROOT, rel);
const rel = (abs: string) => path.relative(ROOT, abs);

/** The walk as documented: the first backticked path of each numbered line between the markers. */
function documentedWalk(): string[] {
  const readme = readFileSync(at('src/provider/pricing/README.md'), 'utf8');
  const block = /<!-- price-walk:start -->([\s\S]*?)<!-- price-walk:end -->/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => /^\d+\.\s+`([^`]+)`/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined);
}

/** Every file a file reaches through imports, types included (a type import is still a dependency a reader follows). */
function reach(graph: Map<string, string[]>, from: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(graph.get(f) ?? []));
  }
  return seen;
}

/**
 * A price change used to cross ~35 files, back through pricing-service.ts six times and through
 * a wiring file that also built availability. The walk is now documented file by file; these
 * checks fail when it grows again: a longer list, a step crossed twice, or the room reaching
 * the Agent or another room's wiring on its way to the node.
 */
describe('the walk of a price change, Pricing screen → table on the node', () => {
  const graph = importGraph(SRC, { withTypes: true });
  const walk = documentedWalk();

  it('is documented as fewer than 15 files, each crossed once, each one that exists', () => {
    expect(walk.length).toBeGreaterThan(5);
    expect(walk.length).toBeLessThan(15);
    expect(new Set(walk).size).toBe(walk.length);
    expect(walk.filter((f) => !existsSync(at(f)))).toEqual([]);
    expect(walk[0]).toBe('renderer/src/pages/pricing-page.tsx');
    expect(walk.at(-1)).toBe('src/provider/stack/node-file.ts');
  });

  it('from the handler to the node, the room reaches no other app file and never the Agent', () => {
    const room = ['src/app/handlers/pricing-handlers.ts', 'src/app/pricing/create-pricing.ts', 'src/app/pricing/node-bid-sink.ts'].map(at);
    const appFiles = [...reach(graph, room)].filter((f) => f.startsWith(path.join(SRC, 'app') + path.sep)).map(rel).sort();
    expect(appFiles).toEqual([
      'src/app/handlers/pricing-handlers.ts',
      'src/app/pricing/create-pricing.ts',
      'src/app/pricing/merge-patch.ts',
      'src/app/pricing/node-bid-sink.ts',
      'src/app/pricing/pricing-service.ts',
    ]);
  });

  it('after the handler, each step is the service itself, a file it imports, or one of its declared deps', () => {
    // What the service receives instead of importing (PricingServiceDeps): the settings store and the sink.
    const declaredDeps = ['src/store/settings-store.ts', 'src/app/pricing/node-bid-sink.ts'];
    const service = 'src/app/pricing/pricing-service.ts';
    const handler = 'src/app/handlers/pricing-handlers.ts';
    expect(walk[walk.indexOf(handler) + 1]).toBe(service);
    expect(graph.get(at(handler))).toContain(at(service));
    const afterService = walk.slice(walk.indexOf(service) + 1, -1);
    const unexplained = afterService.filter((f) => !declaredDeps.includes(f) && !(graph.get(at(service)) ?? []).includes(at(f)));
    expect(unexplained).toEqual([]);
    // The sink writes the node file itself: no wiring file between them.
    expect(walk.at(-2)).toBe('src/app/pricing/node-bid-sink.ts');
    expect(graph.get(at('src/app/pricing/node-bid-sink.ts'))).toContain(at('src/provider/stack/node-file.ts'));
  });
});
