import type { ReactNode } from 'react';
import type { DockerStatus } from '../../../../src/api/schemas/hardware.js';
import { KeyValues } from './key-values.js';

function yes(ok: boolean, yesText: string, noText: string): ReactNode {
  return <span className={ok ? 'badge-ok' : 'badge-block'}>{ok ? yesText : noText}</span>;
}

export function DockerCard({ docker }: { docker: DockerStatus }): ReactNode {
  return (
    <section className="card" data-testid="docker-card">
      <h2>Docker</h2>
      {!docker.reachable ? <p className="muted">{docker.message}</p> : null}
      <KeyValues
        rows={[
          ['Found', yes(docker.found, 'Yes', 'No')],
          ['Reachable', yes(docker.reachable, 'Yes', 'No')],
          ['Version', docker.version ? `${docker.version}${docker.apiVersion ? ` (API ${docker.apiVersion})` : ''}` : '—'],
          ['Engine', docker.operatingSystem ?? undefined],
          ['GPUs for containers', yes(docker.gpuCapable, 'Yes', 'No')],
          [
            'NVIDIA container toolkit',
            <span key="tk">
              {yes(docker.nvidiaToolkit.present, 'Present', 'Missing')}
              {docker.nvidiaToolkit.how ? <span className="muted small"> {docker.nvidiaToolkit.how}</span> : null}
            </span>,
          ],
          ['Runtimes', docker.runtimes.length ? docker.runtimes.join(', ') : '—'],
          ['Default runtime', docker.defaultRuntime ?? undefined],
          ['Data folder', docker.rootDir ? <span key="root" className="mono">{docker.rootDir}</span> : undefined],
          ['Endpoint', <span key="ep" className="mono">{docker.endpoint}</span>],
        ]}
      />
    </section>
  );
}
