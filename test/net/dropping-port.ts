import { spawn } from 'node:child_process';

/**
 * A loopback port that drops SYNs, as a firewall does ("filtered"): a listener that never accepts
 * (Python, because Node always accepts), its one-slot queue filled, so the kernel drops further
 * connection attempts. `close` ends the helper process.
 */
export async function droppingPort(): Promise<{ port: number; close: () => void }> {
  const script = [
    'import socket, sys',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]; fill = []',
    'for i in range(3):',
    '    c = socket.socket(); c.settimeout(0.3)',
    '    try: c.connect(("127.0.0.1", port)); fill.append(c)',
    '    except OSError: pass',
    'print(port, flush=True); sys.stdin.read()',
  ].join('\n');
  const py = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    py.stdout.once('data', (d: Buffer) => resolve(d.toString()));
    py.once('error', reject);
    py.once('exit', (code) => reject(new Error(`the dropping-port helper exited (${code})`)));
  });
  return { port: Number(line.trim()), close: () => py.kill() };
}
