export { DataDirectoryLockedError } from './data-directory-lock.js'
export { DurableJsonFile, type DurableJsonFileOptions } from './durable-json-file.js'
export type { AppendableFile, FileSystem, OpenDirectory, WritableFile } from './file-system.js'
export { createLowdbStore, type LowdbStore, type LowdbStoreOptions } from './lowdb-store.js'
