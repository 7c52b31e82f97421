import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** A message a fixture process sends its parent: always an object with a `type`. */
export interface FixtureMessage {
  type: string
  [field: string]: unknown
}

/** A fixture process with an IPC channel; it exits by itself when the channel closes. */
export interface FixtureProcess {
  child: ChildProcess
  /** The next message (already received or still to come) that `matches`; rejects on timeout or exit. */
  next(matches?: (message: FixtureMessage) => boolean, timeoutMs?: number): Promise<FixtureMessage>
  /** Resolves when the process has exited (and been reaped). */
  exited: Promise<void>
  send(message: object): void
  /** Closes the IPC channel (the fixture then exits by itself) and waits for the exit. */
  stop(): Promise<void>
}

/**
 * Starts `test/fixtures/<name>.ts` in a new Node process from the TypeScript sources. Waits for
 * nothing: use `next()` for its first message.
 */
export function startFixture(name: string, env: Record<string, string> = {}): FixtureProcess {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url))
  const child = fork(script, [], {
    cwd: root,
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const inbox: FixtureMessage[] = []
  const waiting = new Set<() => void>()
  let gone = false
  const wake = () => {
    for (const w of [...waiting]) w()
  }
  child.on('message', (message) => {
    inbox.push(message as FixtureMessage)
    wake()
  })
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => {
      gone = true
      wake()
      resolve()
    })
  })
  const next = (matches: (message: FixtureMessage) => boolean = () => true, timeoutMs = 60_000) =>
    new Promise<FixtureMessage>((resolve, reject) => {
      const check = () => {
        const index = inbox.findIndex(matches)
        if (index >= 0) {
          const [message] = inbox.splice(index, 1)
          finish()
          if (message) resolve(message)
        } else if (gone) {
          finish()
          reject(new Error(`fixture ${name} exited (code ${child.exitCode}, signal ${child.signalCode}) first`))
        }
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`fixture ${name}: no matching message within ${timeoutMs} ms`))
      }, timeoutMs)
      const finish = () => {
        clearTimeout(timer)
        waiting.delete(check)
      }
      waiting.add(check)
      check()
    })
  return {
    child,
    next,
    exited,
    send: (message) => {
      if (child.connected) child.send(message)
    },
    stop: async () => {
      if (child.connected) child.disconnect()
      await exited
    },
  }
}
