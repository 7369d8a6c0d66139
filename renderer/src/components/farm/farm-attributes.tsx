import type { ReactNode } from 'react';
import type { FarmStatus } from '../../../../src/api/schemas/farm.js';

/** The provider's on-chain attributes as the whole farm's GPUs make them, folded away. */
export function FarmAttributes({ attributes }: { attributes: FarmStatus['attributes'] }): ReactNode {
  return (
    <details className="card">
      <summary>On-chain attributes from the whole farm's GPUs</summary>
      <ul className="mono small" data-testid="fleet-attributes">
        {attributes.map((a) => (
          <li key={a.key}>
            {a.key}={a.value}
          </li>
        ))}
      </ul>
    </details>
  );
}
