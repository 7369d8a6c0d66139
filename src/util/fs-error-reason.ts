/** A file-system error in words a person can act on, with the system's code for searching. */
export function fsErrorReason(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'the operation is not permitted there',
    ENOENT: 'that folder does not exist or does not accept new files',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'that is a folder, not a file name',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    ENAMETOOLONG: 'the name is too long',
    EEXIST: 'a file with that name already exists',
  };
  if (typeof code === 'string' && words[code]) return `${words[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
