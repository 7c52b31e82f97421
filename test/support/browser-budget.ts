/**
 * How much slower than a quiet developer machine this run may be: `BROWSER_TIME_SCALE` (a number,
 * e.g. `3` on a loaded laptop), else 2 under CI (shared cores), else 1.
 */
export function browserTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.BROWSER_TIME_SCALE)
  if (env.BROWSER_TIME_SCALE !== undefined && Number.isFinite(given) && given > 0) return given
  return env.CI ? 2 : 1
}

/** A browser wait or test timeout, in milliseconds, scaled by {@link browserTimeScale}. */
export function budget(ms: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.round(ms * browserTimeScale(env))
}
