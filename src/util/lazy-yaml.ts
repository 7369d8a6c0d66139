import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

/**
 * `yaml` (~3 MiB resident with the module loader's share), loaded at its first use: only `stack
 * up` and `onboard --config` need it, and an idle agent never does. Its Node entry is CommonJS,
 * so a synchronous require keeps these functions synchronous.
 */
let yaml: Yaml | null = null;
const load = (): Yaml => (yaml ??= createRequire(import.meta.url)('yaml') as Yaml);

/** One YAML document for `value`, as the `yaml` package writes it. */
export function stringify(value: unknown): string {
  return load().stringify(value);
}

/** The value of one YAML (or JSON) document; throws the `yaml` package's error when it is not one. */
export function parse(text: string): unknown {
  return load().parse(text) as unknown;
}

/** Every document of a YAML stream (`---` between them), each as a plain value. */
export function parseAllDocumentsToJs(text: string): unknown[] {
  return load()
    .parseAllDocuments(text)
    .map((d) => d.toJS() as unknown);
}
