/**
 * `pnpm bench:profile-top [dir-or-file...]`: the functions with the most self time in V8 CPU
 * profiles (as `BENCH_PROFILE=1` writes them), grouped by function and by package, so "where does
 * the time go" has a short answer. Default: every profile under test-output/bench/profiles/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { table } from './harness/report.js'
import { outputDir } from './harness/settings.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path).flatMap((entry) => files(join(path, entry)))
}

/** Where a script lives, in a few words: a package name, node's own code, or a workspace path. */
function owner(url: string): string {
  if (url === '') return '(native code, GC)'
  if (url.startsWith('node:')) return 'node core'
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pnpm?.[1]) return pnpm[1]
  const workspace = /\/(packages\/[^/]+)\//.exec(url)
  if (workspace?.[1]) return workspace[1]
  return url.replace(/^file:\/\//, '')
}

/** A script's short name for the function table: `express/dist/verify/jwt.js`, `jose/…/decode_jwt.js`. */
function script(url: string): string {
  const workspace = /\/packages\/(.+)$/.exec(url)
  if (workspace?.[1]) return workspace[1]
  const dependency = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(url)
  if (dependency?.[1]) return dependency[1].replace(/^((?:@[^/]+\/)?[^/]+)\/.*\/([^/]+)$/, '$1/…/$2')
  return owner(url)
}

const args = process.argv.slice(2)
const paths = (args.length ? args : [fileURLToPath(new URL('profiles/', outputDir))])
  .flatMap(files)
  .filter((file) => file.endsWith('.cpuprofile'))
const byFunction = new Map<string, number>()
const byOwner = new Map<string, number>()
let total = 0
for (const file of paths) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)
    const micros = profile.timeDeltas[index] ?? 0
    if (!node) return
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)' || functionName === '(program)') return
    const name = `${functionName || '(anonymous)'} ${url ? `${script(url)}:${lineNumber + 1}` : ''}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
    byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + micros)
    total += micros
  })
}
const top = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => [name, (micros / 1000).toFixed(0), `${((micros / total) * 100).toFixed(1)}%`])

console.log(`${paths.length} profiles, ${(total / 1000).toFixed(0)} ms of busy samples (idle excluded)\n`)
console.log(table(['by package', 'self ms', 'share'], top(byOwner, 15)))
console.log('')
console.log(table(['by function', 'self ms', 'share'], top(byFunction, 30)))
