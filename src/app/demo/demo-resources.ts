import path from 'node:path';

export interface ResourcesLookup {
  /** The folder holding RigLease's package.json: the repo in dev, `<resources>/app.asar` (or `app`) in a package. */
  appRoot: string;
  /** Electron's `process.resourcesPath`; undefined under plain node. */
  resourcesPath?: string | undefined;
  /** Electron's `app.isPackaged`; undefined under plain node. */
  isPackaged?: boolean | undefined;
}

/**
 * Where `resources/` (what electron-builder's `extraResources` ships) is at run time:
 * - a packaged Electron app: `process.resourcesPath`;
 * - the package layout run by plain node (`<resources>/app.asar` or `<resources>/app` holding
 *   package.json): its parent, which is what process.resourcesPath is in that package;
 * - dev (the repo): `<repo>/resources`. An unpackaged Electron's resourcesPath is Electron's
 *   own folder in node_modules, so it is not used then.
 */
export function resourcesDir(input: ResourcesLookup): string {
  if (input.isPackaged === true && input.resourcesPath) return input.resourcesPath;
  const base = path.basename(input.appRoot);
  const parent = path.dirname(input.appRoot);
  if (base === 'app.asar' || (base === 'app' && path.basename(parent) === 'resources')) return parent;
  return path.join(input.appRoot, 'resources');
}

/** The demo's captures inside a resources folder (see resources/demo/README.md). */
export function demoFiles(resources: string): { nvidiaXml: string; gpuPrices: string; marketData: string } {
  const demo = path.join(resources, 'demo');
  return {
    nvidiaXml: path.join(demo, 'nvidia-smi', 'rtx3090_525.147.05_1gpu.xml'),
    gpuPrices: path.join(demo, 'market', 'test-data-gpu-prices.json'),
    marketData: path.join(demo, 'market', 'console-market-data-spec.json'),
  };
}
