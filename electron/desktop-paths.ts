import { pathsUnder, type Paths } from '../src/store/paths.js';
import { securePrivateDirs } from '../src/store/private-dirs.js';

/**
 * The desktop app's folders under Electron's userData, made private (0700) before the logger
 * or anything else writes there: the same rule as the headless host, since both hold the
 * same state, logs, history and secrets.
 */
export function desktopPaths(userData: string, platform: NodeJS.Platform = process.platform): Paths {
  const paths = pathsUnder(userData);
  securePrivateDirs(paths, platform);
  return paths;
}
