import type { Request } from 'express'

/** The base URL of the listener that served `req`, as the client addressed it. */
export const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`
