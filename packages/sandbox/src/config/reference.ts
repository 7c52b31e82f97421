import { sandboxConfigSchema } from './schema.js'

interface SchemaNode {
  type?: string
  enum?: readonly unknown[]
  items?: SchemaNode
  properties?: Record<string, SchemaNode>
  required?: readonly string[]
  description?: string
  minimum?: number
  maximum?: number
  minItems?: number
}

/** A property's type as a reader would write it: `string`, `list of: a, b`, `integer ≥ 0`. */
function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ')
  if (node.type === 'array' && node.items) {
    const item = node.items.properties ? 'object' : typeOf(node.items)
    return `list of ${item}`
  }
  if (node.type === 'integer') {
    if (node.minimum !== undefined && node.maximum !== undefined) return `integer, ${node.minimum} to ${node.maximum}`
    return node.minimum === undefined ? 'integer' : `integer ≥ ${node.minimum}`
  }
  return node.type ?? 'any'
}

function rows(properties: Record<string, SchemaNode>, required: readonly string[], prefix: string): string[] {
  const lines: string[] = []
  for (const [key, node] of Object.entries(properties)) {
    if (key === '$schema') continue
    const path = `${prefix}${key}`
    const description = (node.description ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ')
    const mark = required.includes(key) ? ' (required)' : ''
    lines.push(`| \`${path}\`${mark} | ${typeOf(node)} | ${description} |`)
    const nested = node.type === 'array' ? node.items : node
    if (nested?.properties)
      lines.push(...rows(nested.properties, nested.required ?? [], `${path}${node.type === 'array' ? '[]' : ''}.`))
  }
  return lines
}

/**
 * The config file's reference table (Markdown), generated from the one JSON Schema the sandbox
 * validates with: the sandbox README carries it, and a test keeps the two in step.
 */
export function configReferenceTable(): string {
  const schema = sandboxConfigSchema as unknown as SchemaNode
  return ['| key | type | meaning |', '|---|---|---|', ...rows(schema.properties ?? {}, [], '')].join('\n')
}
