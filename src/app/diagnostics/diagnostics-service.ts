import type { DiagnosticsExportResult, DiagnosticsReport } from '../../api/schemas/diagnostics.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Paths } from '../../store/paths.js';
import type { Logger } from '../../util/logger.js';
import { DiagnosticsRegistry } from './check-registry.js';
import { coreDiagnosticSources } from './core-checks.js';
import { crashDiagnosticSource } from './crash-check.js';
import { defaultExportPath, exportDiagnostics } from './export-bundle.js';

export interface DiagnosticsDeps {
  paths: Paths;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  version: string;
  host: string;
  logger: Logger;
  scan(maxAgeMs: number): Promise<HardwareReport>;
  lastReport(): HardwareReport | null;
  loadSettings(): Promise<unknown>;
}

/**
 * Diagnostics: the registry of independent checks (core ones registered here; other domains
 * add theirs through `registry.add`) and the redacted export bundle.
 */
export class DiagnosticsService {
  readonly registry = new DiagnosticsRegistry();

  constructor(private readonly deps: DiagnosticsDeps) {
    for (const source of coreDiagnosticSources(deps)) this.registry.add(source);
    this.registry.add(crashDiagnosticSource(deps.paths.home));
  }

  checks(): Promise<DiagnosticsReport> {
    return this.registry.run();
  }

  async export(target?: string): Promise<DiagnosticsExportResult> {
    const now = new Date();
    const checks = await this.checks().catch(() => null);
    const result = await exportDiagnostics({
      paths: this.deps.paths,
      target: target ?? defaultExportPath(this.deps.paths, now),
      version: this.deps.version,
      host: this.deps.host,
      platform: this.deps.platform,
      env: this.deps.env,
      hardwareReport: this.deps.lastReport(),
      checks,
      now,
    });
    this.deps.logger.info('diagnostics exported', { path: result.path, bytes: result.bytes, files: result.files.length, leftOut: result.leftOut.length });
    return result;
  }
}
