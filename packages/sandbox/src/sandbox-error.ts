/** A sandbox API error: `{error, error_description}` like the DCR endpoints. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description)
  }
}
