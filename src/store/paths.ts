import path from 'node:path';

/** Where the agent keeps its files. Electron fills it from app.getPath; headless from RIGLEASE_HOME. */
export interface Paths {
  home: string;
  settingsFile: string;
  stateDir: string;
  logsDir: string;
  historyDir: string;
  secretsDir: string;
}

export function pathsUnder(home: string): Paths {
  return {
    home,
    settingsFile: path.join(home, 'settings.json'),
    stateDir: path.join(home, 'state'),
    logsDir: path.join(home, 'logs'),
    historyDir: path.join(home, 'history'),
    secretsDir: path.join(home, 'secrets'),
  };
}

/**
 * The platform's app-data folder, unless RIGLEASE_HOME says otherwise. Platform and env are
 * passed in so Linux CI tests the Windows and macOS answers too.
 */
export function defaultHome(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, homedir: string): string {
  const override = env['RIGLEASE_HOME'];
  if (override && override.trim() !== '') return path.resolve(override);
  switch (platform) {
    case 'win32':
      return path.win32.join(env['APPDATA'] ?? path.win32.join(homedir, 'AppData', 'Roaming'), 'RigLease');
    case 'darwin':
      return path.posix.join(homedir, 'Library', 'Application Support', 'RigLease');
    default:
      return path.posix.join(env['XDG_CONFIG_HOME'] ?? path.posix.join(homedir, '.config'), 'riglease');
  }
}
