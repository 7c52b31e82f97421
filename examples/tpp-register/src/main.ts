import { runJourney } from './journey.js'

// Start the sandbox first (pnpm start at the repository root), then: pnpm --filter @open-dcr/example-tpp-register start
const steps = await runJourney(
  process.env.SANDBOX_URL ?? 'http://127.0.0.1:8080',
  process.env.BRAND ?? 'northbank-personal',
)
for (const step of steps) console.log(`${step.status ?? 'ok'} ${step.name}`)
