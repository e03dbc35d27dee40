/**
 * Installing Debian packages during setup. Machines of this project's kind reach Debian's mirrors but
 * not other downloads, so as root on Debian apt-get is the way to get Chromium and the test tools.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export function isRootOnDebian(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get');
}

/** Installs the packages, refreshing the package lists once if the first try fails; says what happened. */
export function aptInstall(packages: string[], steps: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const attempt = () => spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: 'ignore', timeout: 20 * 60_000 });
  let result = attempt();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 10 * 60_000 });
    result = attempt();
  }
  const ok = result.status === 0;
  steps.push(
    ok ? `installed Debian package(s) ${packages.join(', ')}` : `apt-get install ${packages.join(' ')} failed (exit ${result.status ?? result.signal})`,
  );
  return ok;
}
