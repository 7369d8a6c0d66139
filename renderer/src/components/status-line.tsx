import { useEffect, useRef, type ReactNode } from 'react';
import type { AppInfo } from '../../../src/api/methods/app.js';
import { useConnection } from '../api/client-context.js';
import { useCall, useEvent } from '../api/hooks.js';
import { useHashPath } from '../routing.js';
import { RigStateBadge } from './rig-state-badge.js';
import { publishRigStatus, useRefreshRequests, useRigStatus } from './status-store.js';

/** Nothing the user does not look at polls faster than every 30 s (ARCHITECTURE.md). */
const REFRESH_MS = 30_000;
/** Deriving the state reads the stack and the chain: asked again at most this often on request. */
const MIN_GAP_MS = 3_000;

/**
 * The line at the top of every screen: the rig's one state as the agent derived it (the same
 * words as the Dashboard card, the tray and `riglease status`), then the agent link. It asks
 * again every 30 s, on every screen change, when availability changes, when long work ends and
 * when a screen says it learned something.
 */
export function StatusLine({ info }: { info: AppInfo | undefined }): ReactNode {
  const rig = useCall('rig.status', {});
  const { refresh } = rig;
  const top = useRigStatus();
  const path = useHashPath();
  const requests = useRefreshRequests();
  const { transport, connection } = useConnection();

  useEffect(() => {
    if (rig.data) publishRigStatus(rig.data.status);
  }, [rig.data]);
  useEffect(() => {
    const t = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);
  // The first answer is already on its way; later screen changes and requests ask again, at
  // most once per few seconds (a screen may report many small changes in a row).
  const first = useRef(true);
  const last = useRef(0);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      last.current = Date.now();
      return undefined;
    }
    const wait = Math.max(0, last.current + MIN_GAP_MS - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      refresh();
    }, wait);
    return () => clearTimeout(t);
  }, [path, requests, refresh]);
  useEvent('availability.changed', refresh);
  useEvent('task.progress', (t) => {
    if (t.state !== 'running') refresh();
  });

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
    <header className="status-line" data-testid="status-line" data-state={top?.state}>
      {top ? <RigStateBadge status={top} testId="status-badge" /> : null}
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
