// The browser tests drive Debian's Chromium (never a downloaded browser). On a fresh machine this
// installs it with apt-get when running as root; otherwise it says what to install.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(path)) {
  if (process.getuid?.() !== 0) {
    console.error(
      `Chromium is needed for the browser tests: install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
    process.exit(1)
  }
  console.log('Installing Chromium for the browser tests (apt-get, about 30 s)...')
  // Another apt process (unattended upgrades, a parallel job) may hold the dpkg lock: wait for it, never fail at once.
  const lock = ['-o', 'DPkg::Lock::Timeout=120']
  execFileSync('apt-get', ['update', '-qq', ...lock, '-o', 'Acquire::Retries=3'], { stdio: 'inherit' })
  execFileSync('apt-get', ['install', '-y', '-qq', ...lock, 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}
