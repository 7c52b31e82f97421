/** Tables on stdout, JSON results in test-output/bench/, and what the machine was doing. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { outputDir, settings } from './settings.js'

/** Median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Largest of `values`; NaN when empty. */
export const maximum = (values: readonly number[]): number => (values.length ? Math.max(...values) : Number.NaN)

/** `value` with `digits` decimals, or `-` when it is not a number. */
export const fixed = (value: number | undefined, digits = 1): string =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits)

/** A ratio as `1.23x`. */
export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '-')

/** A right-aligned plain-text table (first column left-aligned). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n')
}

/** `goal: … met` / `NOT MET` line. */
export const verdict = (met: boolean): string => (met ? 'met' : 'NOT MET')

/** What the machine looked like: load average, cores, versions, commit. */
export function machine(): Record<string, unknown> {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model,
    loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
    commit,
    quick: settings.quick,
  }
}

/** One-line description of the load average, for the header and the footer of a run. */
export const loadLine = (): string =>
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`

/** Writes `name-<timestamp>.json` and `name-latest.json` under test-output/bench/; returns the first path. */
export function writeResults(name: string, results: unknown): string {
  mkdirSync(outputDir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const json = `${JSON.stringify(results, null, 2)}\n`
  const file = new URL(`${name}-${stamp}.json`, outputDir)
  writeFileSync(file, json)
  writeFileSync(new URL(`${name}-latest.json`, outputDir), json)
  return file.pathname
}
