import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import ts from 'typescript'

/** How long a source file and a function may be, in lines. */
export interface SizeLimits {
  /** Lines in one file (as `wc -l` counts them). Default 300. */
  fileLines: number
  /** Lines of one function, from its first line (after its doc comment) to its closing line. Default 80. */
  functionLines: number
}

/** Issue 11's limits: files past 300 lines and functions past 80 are asking to be split. */
export const defaultSizeLimits: SizeLimits = { fileLines: 300, functionLines: 80 }

/** A file or function over its limit. */
export interface SizeOffender {
  /** File path as given (relative to the repository root when found by {@link listSourceFiles}). */
  file: string
  /** 1-based line where the file or function starts. */
  line: number
  /** `file`, or the function's name as a reader would look for it (`createBrands`, `Store.close`). */
  name: string
  kind: 'file' | 'function'
  /** Its length in lines. */
  lines: number
  /** The limit it is over. */
  limit: number
}

/** Where the source that the limits apply to lives, relative to the repository root. */
export const sizeCheckedRoots = ['packages/*/src', 'examples/*/src', 'scripts', 'bench'] as const

const sourceExtension = /\.(ts|mts|cts|js|mjs|cjs)$/
const testFile = /\.test\.[cm]?[jt]s$/
const skippedFolders = new Set(['node_modules', 'dist', 'test'])

/** Lines as `wc -l` counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0
  const newlines = text.split('\n').length - 1
  return text.endsWith('\n') ? newlines : newlines + 1
}

/** Every file and function in `text` over `limits`, in source order. */
export function measureSource(file: string, text: string, limits: SizeLimits = defaultSizeLimits): SizeOffender[] {
  const offenders: SizeOffender[] = []
  const fileLines = countLines(text)
  if (fileLines > limits.fileLines) {
    offenders.push({ file, line: 1, name: 'file', kind: 'file', lines: fileLines, limit: limits.fileLines })
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file))
  const visit = (node: ts.Node): void => {
    if (isFunctionWithBody(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = end - start + 1
      if (lines > limits.functionLines) {
        offenders.push({
          file,
          line: start + 1,
          name: functionName(node),
          kind: 'function',
          lines,
          limit: limits.functionLines,
        })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return offenders
}

/** One line per offender: `path:line name has N lines (max M)`. */
export function formatSizeOffender(offender: SizeOffender): string {
  const what = offender.kind === 'file' ? 'file' : `function ${offender.name}`
  return `${offender.file}:${offender.line} ${what} has ${offender.lines} lines (max ${offender.limit})`
}

/**
 * Source files under {@link sizeCheckedRoots} (a `*` matches one folder), relative to `root` with
 * `/` separators, sorted. Tests (`*.test.ts`, anything in a `test/` folder), build
 * output and dependencies are left out.
 */
export async function listSourceFiles(root: string, roots: readonly string[] = sizeCheckedRoots): Promise<string[]> {
  const files: string[] = []
  for (const pattern of roots) {
    for (const dir of await expandPattern(root, pattern)) files.push(...(await walk(dir)))
  }
  const relativeFiles = files.map((file) => relative(root, file).split(sep).join('/'))
  return [...new Set(relativeFiles)].sort()
}

/** Measures every file {@link listSourceFiles} finds under `root`. */
export async function checkSizes(root: string, limits: SizeLimits = defaultSizeLimits): Promise<SizeOffender[]> {
  const offenders: SizeOffender[] = []
  for (const file of await listSourceFiles(root)) {
    offenders.push(...measureSource(file, await readFile(join(root, file), 'utf8'), limits))
  }
  return offenders
}

function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  )
}

/** The name a reader searches for: declared, assigned to, or the call the function is passed to. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  const owner = ts.isClassLike(node.parent) ? `${node.parent.name?.text ?? '(class)'}.` : ''
  if (ts.isConstructorDeclaration(node)) return `${owner}constructor`
  if (node.name) return `${owner}${node.name.getText()}`
  const parent = node.parent
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) {
    return parent.name.getText()
  }
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`
  return '(anonymous)'
}

function scriptKind(file: string): ts.ScriptKind {
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
}

async function expandPattern(root: string, pattern: string): Promise<string[]> {
  let dirs = [root]
  for (const part of pattern.split('/')) {
    if (part !== '*') {
      dirs = dirs.map((dir) => join(dir, part))
      continue
    }
    const expanded: string[] = []
    for (const dir of dirs)
      expanded.push(
        ...(await subfolders(dir)).filter((sub) => !skippedFolders.has(sub.name)).map((sub) => join(dir, sub.name)),
      )
    dirs = expanded
  }
  return dirs
}

async function subfolders(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries.filter((entry) => entry.isDirectory())
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const files: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) files.push(...(await walk(path)))
    } else if (sourceExtension.test(entry.name) && !testFile.test(entry.name)) {
      files.push(path)
    }
  }
  return files
}
