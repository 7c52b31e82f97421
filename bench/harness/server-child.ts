/**
 * Entry of a server child process: builds the server the parent asks for, listens on 127.0.0.1,
 * and measures its own CPU and event-loop delay over each load window the parent announces.
 * Exits when the parent disconnects, so no server outlives a benchmark (Ctrl-C, crash or normal end).
 */
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Command, Report, ServerSpec } from './protocol.js'

const send = (report: Report) => process.send?.(report)
process.on('disconnect', () => process.exit(0))

let registered = 0
const onRegistered = () => {
  registered++
}

async function build(spec: ServerSpec): Promise<{ handler: RequestListener; close(): Promise<void> }> {
  switch (spec.kind) {
    // Imported on demand: a child loads only the server it runs.
    case 'open-dcr': {
      const { openDcrServer } = await import('../servers/open-dcr.js')
      return openDcrServer(spec.trust, spec.store, spec.management, onRegistered)
    }
    case 'oidc-provider': {
      const { oidcProviderServer } = await import('../servers/oidc-provider.js')
      return oidcProviderServer(spec.trust, onRegistered)
    }
  }
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 })
let window: { cpu: NodeJS.CpuUsage; registered: number } | undefined
let stop: () => Promise<void> = async () => {}

process.on('message', async (command: Command) => {
  try {
    switch (command.type) {
      case 'start': {
        const server = await build(command.spec)
        const http = createServer(server.handler)
        http.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (http.address() as AddressInfo).port }))
        stop = async () => {
          // Requests the load generator gave up on still finish before the store closes.
          const closed = new Promise((resolve) => http.close(resolve))
          http.closeIdleConnections()
          const timer = setTimeout(() => http.closeAllConnections(), 5000)
          await closed
          clearTimeout(timer)
          await server.close()
        }
        break
      }
      case 'window-start':
        loopDelay.reset()
        loopDelay.enable()
        window = { cpu: process.cpuUsage(), registered }
        break
      case 'window-end': {
        if (!window) throw new Error('window-end without window-start')
        const cpu = process.cpuUsage(window.cpu)
        loopDelay.disable()
        send({
          type: 'window',
          cpuMs: (cpu.user + cpu.system) / 1000,
          loopDelayMaxMs: loopDelay.max / 1e6,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          registered: registered - window.registered,
        })
        window = undefined
        break
      }
      case 'stop':
        // A clean exit: pending store writes settle, and --cpu-prof writes its profile.
        await stop()
        process.exit(0)
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  }
})
