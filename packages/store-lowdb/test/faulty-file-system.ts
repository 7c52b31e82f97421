import { constants } from 'node:os'
import type { AppendableFile, FileSystem, WritableFile } from '../src/file-system.js'
import { nodeFileSystem } from '../src/file-system.js'

/** The calls a fault can be injected into. */
export type FaultStep =
  | 'open'
  | 'write'
  | 'sync'
  | 'close'
  | 'rename'
  | 'syncDirectory'
  | 'unlink'
  | 'mkdir'
  | 'read'
  | 'truncate'

/** Decides, per call, whether it fails and with which errno code; undefined lets it through. */
export type FaultPlan = (step: FaultStep, path: string) => string | undefined

/**
 * A Node system error with the given code: for ENOSPC a real one, from a write to `/dev/full`
 * (which the kernel always answers ENOSPC); others built the way Node builds them.
 */
export async function systemError(code: string, syscall: string, path: string): Promise<NodeJS.ErrnoException> {
  if (code === 'ENOSPC') {
    try {
      const full = await nodeFileSystem.openForWriting('/dev/full')
      try {
        await full.writeFile('x'.repeat(8192), 'utf8')
      } finally {
        await full.close()
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return err as NodeJS.ErrnoException
    }
  }
  const errno = (constants.errno as Record<string, number>)[code] ?? 5
  return Object.assign(new Error(`${code}: failed, ${syscall} '${path}'`), { code, errno: -errno, syscall, path })
}

/**
 * Node's file system, except where `plan` says a call fails. A failing write first writes half its
 * data, as a disk filling up mid-write does, so a temporary file really is left to clean up.
 */
export function faultyFileSystem(plan: FaultPlan): FileSystem {
  const fail = async (step: FaultStep, path: string) => {
    const code = plan(step, path)
    if (code !== undefined) throw await systemError(code, step, path)
  }
  return {
    async openForWriting(path) {
      await fail('open', path)
      const file = await nodeFileSystem.openForWriting(path)
      const faulty: WritableFile = {
        async writeFile(data, encoding) {
          const code = plan('write', path)
          if (code !== undefined) {
            await file.writeFile(data.slice(0, data.length >> 1), encoding)
            throw await systemError(code, 'write', path)
          }
          await file.writeFile(data, encoding)
        },
        async sync() {
          await fail('sync', path)
          await file.sync()
        },
        async close() {
          await file.close()
          await fail('close', path)
        },
      }
      return faulty
    },
    async openForAppending(path) {
      await fail('open', path)
      const file = await nodeFileSystem.openForAppending(path)
      const faulty: AppendableFile = {
        async write(data, position) {
          const code = plan('write', path)
          if (code !== undefined) {
            await file.write(data.subarray(0, data.length >> 1), position)
            throw await systemError(code, 'write', path)
          }
          await file.write(data, position)
        },
        async datasync() {
          await fail('sync', path)
          await file.datasync()
        },
        async truncate(length) {
          await fail('truncate', path)
          await file.truncate(length)
        },
        async close() {
          await file.close()
          await fail('close', path)
        },
      }
      return faulty
    },
    async openDirectory(path) {
      await fail('open', path)
      const directory = await nodeFileSystem.openDirectory(path)
      return {
        async sync() {
          await fail('syncDirectory', path)
          await directory.sync()
        },
        close: () => directory.close(),
      }
    },
    async readBytes(path) {
      await fail('read', path)
      return nodeFileSystem.readBytes(path)
    },
    async readFile(path) {
      await fail('read', path)
      return nodeFileSystem.readFile(path)
    },
    async rename(from, to) {
      await fail('rename', to)
      await nodeFileSystem.rename(from, to)
    },
    async unlink(path) {
      await fail('unlink', path)
      await nodeFileSystem.unlink(path)
    },
    async makeDirectory(path) {
      await fail('mkdir', path)
      await nodeFileSystem.makeDirectory(path)
    },
    async syncDirectory(path) {
      await fail('syncDirectory', path)
      await nodeFileSystem.syncDirectory(path)
    },
    listDirectory: (path) => nodeFileSystem.listDirectory(path),
  }
}

/** Every `*.tmp` file under `dir`, relative paths. */
export async function tempFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = []
  const visit = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await nodeFileSystem.listDirectory(folder)) {
      if (entry.isDirectory) await visit(`${folder}/${entry.name}`, `${prefix}${entry.name}/`)
      else if (entry.name.endsWith('.tmp')) found.push(`${prefix}${entry.name}`)
    }
  }
  await visit(dir, '')
  return found
}
