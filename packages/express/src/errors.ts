/**
 * The HTTP edge's errors under their long-standing import path: {@link DcrError} (an error that is an
 * HTTP answer), the one error handler and the `no-store` helper live in `http/`; the checks in
 * `verify/` and `metadata/` throw the transport-free `CheckError` (`check-error.ts`) instead.
 */
export { DcrError, type DcrErrorCode, type DcrErrorOptions } from './http/dcr-error.js'
export { dcrErrorHandler } from './http/error-handler.js'
export { setNoStore } from './http/no-store.js'
