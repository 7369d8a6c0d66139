import { useState, type ReactNode } from 'react';

/** A command the person can copy and paste into a terminal, with a Copy button. */
export function CopyCode({ code, inline = false }: { code: string; inline?: boolean }): ReactNode {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = (): void => {
    // The Clipboard API needs a secure context (file://, 127.0.0.1 count); say so if it is refused.
    navigator.clipboard
      .writeText(code)
      .then(() => setCopied('yes'))
      .catch(() => setCopied('failed'));
    setTimeout(() => setCopied('no'), 2000);
  };
  const button = (
    <button type="button" className="button button-small" onClick={copy} aria-label={`Copy: ${code}`}>
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
  if (inline) {
    return (
      <span className="copy-inline">
        <code className="inline-code">{code}</code>
        {button}
      </span>
    );
  }
  return (
    <div className="copy-code">
      <code>{code}</code>
      {button}
    </div>
  );
}

// Lines that start like these are commands, not prose: show them copyable.
const COMMAND_START =
  /^(sudo|docker|nvidia-smi|nvidia-ctk|wsl|apt|apt-get|dnf|yum|pacman|zypper|curl|wget|systemctl|sh|bash|powershell|winget|choco|brew|riglease|npm|usermod|newgrp|modprobe|dism|bcdedit|reboot|export|set|setx)\b/;

export function looksLikeCommand(text: string): boolean {
  return COMMAND_START.test(text.trim());
}

/**
 * Renders a check's fix. The hardware checks write commands between backticks
 * ("Run `sudo usermod -aG docker $USER`, then sign out"), or the whole fix is a command;
 * both become copyable blocks. Everything else is plain text.
 */
export function FixText({ fix }: { fix: string }): ReactNode {
  const parts = fix.split('`');
  if (parts.length >= 3) {
    // Commands stay where the sentence puts them, each with its own Copy button.
    return (
      <span>
        {parts.map((part, i) =>
          i % 2 === 0 ? (
            part
          ) : looksLikeCommand(part) || part.includes(' ') ? (
            <CopyCode key={i} code={part} inline />
          ) : (
            <code key={i} className="inline-code">
              {part}
            </code>
          ),
        )}
      </span>
    );
  }
  const lines = fix.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length > 0 && lines.every(looksLikeCommand)) return <CopyCode code={lines.join('\n')} />;
  return <span>{fix}</span>;
}
