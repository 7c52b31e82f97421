import type { ToolTestCase } from './tool-output.js'

/** What the bank answered to the request a failed step judged, as the tool's debug log shows it. */
export interface ServerAnswer {
  status: number
  /** The body: compact JSON when it parses, else the text as sent; empty when the log has no body. */
  body: string
}

const dumpStatus = /^response:\s*\n\s*HTTP\/[\d.]+ (\d{3})/
const finishedStatus = /request finished with response status code (\d{3})/

function fromDump(message: string): ServerAnswer | null {
  const status = dumpStatus.exec(message)
  if (!status) return null
  const blank = message.indexOf('\n\n', status.index)
  const text = blank < 0 ? '' : message.slice(blank + 2).trim()
  let body = text
  try {
    body = text ? JSON.stringify(JSON.parse(text)) : ''
  } catch {
    // Not JSON: show the text as the bank sent it.
  }
  return { status: Number(status[1]), body }
}

function fromMessage(message: string): ServerAnswer | null {
  const dumped = fromDump(message.replace(/\r/g, ''))
  if (dumped) return dumped
  const finished = finishedStatus.exec(message)
  return finished ? { status: Number(finished[1]), body: '' } : null
}

/**
 * The server's answer behind the failed step `stepIndex` of a test case: the HTTP response the
 * step itself logged (the tool dumps it when an assertion fails), else the latest response logged
 * by an earlier step of the same test case (the request step before an assertion). Null when the
 * log shows none.
 */
export function serverAnswer(testCase: ToolTestCase, stepIndex: number): ServerAnswer | null {
  const own = testCase.steps[stepIndex]?.debug ?? []
  for (const message of own) {
    const dumped = fromDump(message.replace(/\r/g, ''))
    if (dumped) return dumped
  }
  for (let index = stepIndex; index >= 0; index--) {
    const messages = testCase.steps[index]?.debug ?? []
    for (let at = messages.length - 1; at >= 0; at--) {
      const answer = fromMessage(messages[at] ?? '')
      if (answer) return answer
    }
  }
  return null
}
