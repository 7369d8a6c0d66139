import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useEvent } from '../../api/hooks.js';
import { addToast, DISMISS_MS, removeToast, type Toast } from './toast-model.js';

const LEVEL_LABEL: Record<Toast['level'], string> = { info: 'Info', warning: 'Warning', error: 'Error' };

/**
 * The app's own notifications (`app.notification`), bottom right: every notification the agent
 * publishes shows here, whether or not the desktop also showed it natively. Info and warnings
 * go away by themselves; errors stay until dismissed. Errors are announced assertively
 * (role=alert), the rest politely (role=status).
 */
export function ToastStack(): ReactNode {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  useEvent('app.notification', (note) => {
    const id = nextId.current++;
    setToasts((t) => addToast(t, note, id));
  });
  const dismiss = useCallback((id: number) => setToasts((t) => removeToast(t, id)), []);

  return (
    <div className="toast-stack" aria-label="Notifications" data-testid="toast-stack">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
      ))}
    </div>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }): ReactNode {
  const [hovered, setHovered] = useState(false);
  const ms = DISMISS_MS[toast.level];
  useEffect(() => {
    // Paused while the pointer rests on it, so a toast being read does not vanish.
    if (ms === null || hovered) return undefined;
    const timer = setTimeout(() => onDismiss(toast.id), ms);
    return () => clearTimeout(timer);
  }, [ms, hovered, toast.id, onDismiss]);

  return (
    <div
      className={`toast toast-${toast.level}`}
      role={toast.level === 'error' ? 'alert' : 'status'}
      data-testid="toast"
      data-level={toast.level}
      data-source={toast.note.source}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <div className="toast-body">
        <strong className="toast-title">
          <span className="visually-hidden">{LEVEL_LABEL[toast.level]}: </span>
          {toast.note.title}
        </strong>
        {toast.note.body ? <span className="small">{toast.note.body}</span> : null}
      </div>
      <button type="button" className="toast-close" aria-label={`Dismiss: ${toast.note.title}`} onClick={() => onDismiss(toast.id)} data-testid="toast-dismiss">
        ×
      </button>
    </div>
  );
}
