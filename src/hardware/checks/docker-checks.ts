import type { Check } from '../../api/schemas/hardware.js';
import { LINKS, compareVersions } from '../requirements.js';
import { check, type HardwareFacts } from './facts.js';

/** `--gpus` / HostConfig.DeviceRequests arrived in Docker 19.03 (Engine API 1.40). */
const DOCKER_MIN_FOR_GPUS = '19.03';

export function dockerChecks(f: HardwareFacts): Check[] {
  const d = f.docker;
  const desktop = f.system.os.kind === 'windows' || f.system.os.kind === 'macos' || /docker desktop/i.test(d.operatingSystem ?? '');
  if (!d.reachable) return [reachCheck(f, desktop)];
  const checks: Check[] = [reachCheck(f, desktop), versionCheck(f)];
  if (f.gpus.length > 0) checks.push(gpuRuntimeCheck(f, desktop), toolkitCheck(f, desktop));
  return checks;
}

function reachCheck(f: HardwareFacts, desktop: boolean): Check {
  const d = f.docker;
  const title = 'Docker engine';
  switch (d.problem) {
    case null:
      return check('docker.engine', 'ok', title, `Docker ${d.version ?? ''} answers at ${d.endpoint}.`.replace('  ', ' '));
    case 'absent':
      return desktop || f.system.os.kind === 'wsl2'
        ? check('docker.engine', 'block', title, d.message, 'Install Docker Desktop and turn on its WSL2 backend.', LINKS.dockerDesktop)
        : check('docker.engine', 'block', title, d.message, 'Install Docker Engine: `curl -fsSL https://get.docker.com | sh`.', LINKS.dockerInstall);
    case 'not_running':
      return check('docker.engine', 'block', title, d.message, desktop ? 'Start Docker Desktop and wait until it says "Engine running".' : 'Start it: `sudo systemctl enable --now docker`.', desktop ? LINKS.dockerDesktop : LINKS.dockerInstall);
    case 'permission_denied':
      return check('docker.engine', 'block', title, d.message, 'Add yourself to the docker group: `sudo usermod -aG docker $USER`, then log out and back in.', LINKS.dockerPostInstall);
    case 'timeout':
      return check('docker.engine', 'block', title, d.message, desktop ? 'Restart Docker Desktop.' : 'Restart it: `sudo systemctl restart docker`.', null);
    case 'error':
      return check('docker.engine', 'block', title, d.message, 'Check DOCKER_HOST and that `docker info` works in a terminal.', LINKS.dockerInstall);
  }
}

function versionCheck(f: HardwareFacts): Check {
  const v = f.docker.version;
  const title = 'Docker version';
  if (!v) return check('docker.version', 'warn', title, 'The engine did not say its version.');
  if (compareVersions(v, DOCKER_MIN_FOR_GPUS) < 0) {
    return check('docker.version', 'block', title, `Docker ${v} is older than ${DOCKER_MIN_FOR_GPUS}, the first that can hand GPUs to containers.`, 'Update Docker.', LINKS.dockerInstall);
  }
  return check('docker.version', 'ok', title, `Docker ${v} (API ${f.docker.apiVersion ?? '?'}).`);
}

function gpuRuntimeCheck(f: HardwareFacts, desktop: boolean): Check {
  const d = f.docker;
  const title = 'GPUs in containers';
  if (d.gpuCapable) {
    const how = d.runtimes.includes('nvidia') ? 'the nvidia runtime' : 'CDI devices';
    return check('docker.gpu-runtime', 'ok', title, `Docker can give containers GPUs through ${how}.`);
  }
  return desktop
    ? check('docker.gpu-runtime', 'block', title, 'Docker Desktop does not offer GPUs to containers here.', 'Update Docker Desktop and the Windows NVIDIA driver, and use the WSL2 backend.', LINKS.dockerDesktopGpu)
    : check('docker.gpu-runtime', 'block', title, `Docker has no nvidia runtime (runtimes: ${d.runtimes.join(', ') || 'none'}) and no NVIDIA CDI devices.`, 'Register it: `sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker`.', LINKS.containerToolkit);
}

function toolkitCheck(f: HardwareFacts, desktop: boolean): Check {
  const t = f.docker.nvidiaToolkit;
  const title = 'NVIDIA Container Toolkit';
  if (t.present) return check('docker.toolkit', 'ok', title, `Found (${t.how ?? 'present'}).`);
  if (desktop && f.docker.gpuCapable) return check('docker.toolkit', 'ok', title, 'Docker Desktop brings its own.');
  return check('docker.toolkit', 'block', title, 'The NVIDIA Container Toolkit is not installed, so containers cannot reach the GPU.', 'Install it: `sudo apt-get install -y nvidia-container-toolkit` (after adding NVIDIA\'s repository).', LINKS.containerToolkit);
}
