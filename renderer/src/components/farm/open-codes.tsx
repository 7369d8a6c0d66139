import type { ReactNode } from 'react';
import type { FarmStatus } from '../../../../src/api/schemas/farm.js';
import { formatTime } from '../../format.js';
import { RevokeCode } from './revoke-code.js';

/** The join codes still open on the controller, each revocable; nothing when there are none. */
export function OpenCodes({ codes, onRevoked }: { codes: FarmStatus['codes']; onRevoked: () => void }): ReactNode {
  if (!codes || codes.length === 0) return null;
  return (
    <section className="card stack" data-testid="fleet-open-codes">
      <h2>Open join codes</h2>
      <p className="muted small">Each lets one machine in until it expires. Revoke one you shared by mistake.</p>
      {codes.map((c) => (
        <div key={c.id} className="row">
          <span className="mono small">{c.id}</span>
          <span className="small muted">expires {formatTime(c.expiresAt)}</span>
          <RevokeCode id={c.id} onRevoked={onRevoked} />
        </div>
      ))}
    </section>
  );
}
