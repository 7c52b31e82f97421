// Run by `pnpm pack` / `pnpm publish` in a package folder (its prepack and postpack scripts): puts
// the repository's LICENSE into the package, and the sandbox's OpenAPI document beside its code, so
// every tarball is complete. `--clean` (postpack) removes the copies again; both are git-ignored.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const here = process.cwd()
const { name } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
const copies = [['LICENSE', 'LICENSE']]
if (name === '@open-dcr/sandbox') {
  for (const file of ['open-dcr.yaml', 'open-dcr.postman_collection.json'])
    copies.push([`openapi/${file}`, `openapi/${file}`])
}

for (const [from, to] of copies) {
  const target = join(here, to)
  if (process.argv.includes('--clean')) {
    rmSync(to.includes('/') ? join(here, to.split('/')[0] ?? to) : target, { recursive: true, force: true })
    continue
  }
  mkdirSync(join(target, '..'), { recursive: true })
  copyFileSync(join(root, from), target)
}
