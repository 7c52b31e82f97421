/** What the consent page shows and posts. */
export interface ConsentPageInput {
  brandName: string
  clientName: string
  clientId: string
  scopes: string[]
  /** Host the PSU is sent back to. */
  redirectHost: string
  /** Absolute URL of the decision endpoint. */
  action: string
  /** The sealed consent transaction. */
  transaction: string
  subject: string
}

/** What each scope lets the client do, in the PSU's words. */
const scopeDescriptions: Record<string, string> = {
  openid: 'Confirm who you are (an ID token)',
  accounts: 'Read your account information: balances, transactions, beneficiaries',
  payments: 'Initiate payments from your accounts',
  fundsconfirmations: 'Check that funds are available for a payment',
  directdebits: 'Read and set up direct debits',
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

const style = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:34rem;padding:0 1rem;color:#1d2433}
h1{font-size:1.3rem}ul{padding-left:1.2rem}li{margin:.3rem 0}code{font-size:.9em}
.actions{display:flex;gap:1rem;margin-top:1.5rem}button{font:inherit;padding:.5rem 1.2rem;border:0;border-radius:6px;cursor:pointer}
#approve{background:#1f5fbf;color:#fff}#deny{background:#e2e6ee;color:#1d2433}.note{color:#5a6478;font-size:.9em}
.error{border-left:4px solid #c0392b;padding:.5rem 1rem;background:#fdf3f2}`

const page = (title: string, body: string) =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>${body}</body></html>
`

/** The consent page: brand, client, scopes, and Approve / Deny buttons posting the sealed transaction. */
export function consentPage(input: ConsentPageInput): string {
  const scopes = input.scopes
    .map(
      (scope) =>
        `<li><code>${escapeHtml(scope)}</code>: ${escapeHtml(scopeDescriptions[scope] ?? 'access to this API')}</li>`,
    )
    .join('')
  return page(
    `${input.brandName}: approve access`,
    `<h1>${escapeHtml(input.brandName)}</h1>
<p><strong id="client-name">${escapeHtml(input.clientName)}</strong> (client <code>${escapeHtml(input.clientId)}</code>) asks to:</p>
<ul id="scopes">${scopes}</ul>
<p class="note">You are the sandbox payment service user <code>${escapeHtml(input.subject)}</code>. After your answer you go back to
<code>${escapeHtml(input.redirectHost)}</code>.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="transaction" value="${escapeHtml(input.transaction)}">
<div class="actions"><button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button></div>
</form>`,
  )
}

/** The page shown when the request cannot be answered at the client's redirect URI. */
export function errorPage(code: string, description: string): string {
  return page(
    'Authorization request refused',
    `<h1>This authorization request cannot be processed</h1>
<div class="error"><p><strong id="error">${escapeHtml(code)}</strong></p><p id="error-description">${escapeHtml(description)}</p></div>
<p class="note">You were not sent back to the application because its identity or return address could not be confirmed.</p>`,
  )
}
