import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` all at once: the data goes to a temp file beside it, is fsynced, then renamed
 * over the old one. A crash leaves either the old file or the new one, never half of each. The
 * temp name is random, so two writers in one process never share it.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: { mode?: number; dirMode?: number } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, ...(opts.dirMode === undefined ? {} : { mode: opts.dirMode }) });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', opts.mode ?? 0o600);
  try {
    await handle.writeFile(data);
    // open()'s mode is narrowed by the umask; an asked-for mode (an executable script) is meant exactly.
    if (opts.mode !== undefined) await handle.chmod(opts.mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
