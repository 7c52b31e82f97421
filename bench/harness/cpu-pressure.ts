import { readFileSync } from 'node:fs'

/**
 * Linux pressure stall information: microseconds during which at least one runnable task waited
 * for a CPU (`/proc/pressure/cpu`, "some" total); undefined where the kernel does not expose it.
 * Its growth over a window, divided by the window, is the share of time the cores were contended:
 * the best single figure for how much other work disturbed a measurement.
 */
export function cpuStallMicros(): number | undefined {
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('some '))
    const total = some?.match(/total=(\d+)/)?.[1]
    return total === undefined ? undefined : Number(total)
  } catch {
    return undefined
  }
}

/** Measures the CPU pressure between `start()` and the returned function's call, as a share 0..1. */
export function cpuPressureMeter(): () => number | undefined {
  const before = cpuStallMicros()
  const started = performance.now()
  return () => {
    const after = cpuStallMicros()
    if (before === undefined || after === undefined) return undefined
    return (after - before) / ((performance.now() - started) * 1000)
  }
}
