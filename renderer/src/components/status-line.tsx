import type { ReactNode } from 'react';
import type { AppInfo } from '../../../src/api/methods/app.js';
import { useConnection } from '../api/client-context.js';
import { topStatus, useStatusEntries, type StatusLevel } from './status-store.js';

const BADGE: Record<StatusLevel, string> = { ok: 'badge-ok', warn: 'badge-warn', block: 'badge-block', info: 'badge' };
const LABEL: Record<StatusLevel, string> = { ok: 'OK', warn: 'Attention', block: 'Blocked', info: 'Info' };

/** The line at the top of every screen: the rig's state in plain words, then the agent link. */
export function StatusLine({ info }: { info: AppInfo | undefined }): ReactNode {
  const top = topStatus(useStatusEntries());
  const { transport, connection } = useConnection();
  const link =
    transport === 'ipc'
      ? 'Desktop app'
      : connection === 'open'
        ? 'Live'
        : connection === 'reconnecting'
          ? 'Reconnecting to the agent…'
          : connection === 'connecting'
            ? 'Connecting…'
            : 'Connected';
  return (
    <header className="status-line" data-testid="status-line">
      {top ? <span className={BADGE[top.level]}>{LABEL[top.level]}</span> : null}
      <span className="status-text" data-testid="status-text">
        {top ? top.text : 'Checking this machine…'}
      </span>
      <span className="muted small" data-testid="agent-link">
        {info ? `RigLease ${info.version} · ${info.host === 'headless' ? 'headless agent' : info.host} on ${info.platform} · ` : ''}
        {link}
      </span>
    </header>
  );
}
