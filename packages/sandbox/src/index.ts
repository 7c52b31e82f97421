export { createSandboxApp, type SandboxAppDeps } from './app.js'
export type { Brand, SandboxUrls } from './brands.js'
export { configReferenceTable } from './config/reference.js'
export { sandboxConfigSchema } from './config/schema.js'
export {
  type Api,
  apiScopes,
  type BrandConfig,
  defaultBrands,
  loadSandboxConfig,
  resolveSandboxConfig,
  type SandboxConfig,
} from './config.js'
export { sandboxDefaults } from './defaults.js'
export type { KitDocument, KitRequest } from './kits.js'
export type { PreparedRegistration } from './registration-request.js'
export { type RunningSandbox, type SandboxOptions, startSandbox } from './server.js'
export { loadSandboxState, type SandboxState } from './state.js'
