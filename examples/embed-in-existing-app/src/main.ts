import { createBankApp } from './app.js'

// Point DIRECTORY_JWKS_URI at the Open Banking directory's keys, or at a local sandbox's
// /directory/jwks with SANDBOX=1 (sandbox kits publish their JWKS over plain HTTP).
const { app } = await createBankApp({
  ...(process.env.SANDBOX === '1' ? { softwareJwks: { allowHttp: true } } : {}),
  dataDir: process.env.DATA_DIR ?? './.bank-data',
  issuer: process.env.ISSUER ?? 'https://bank.example',
  directories: [
    {
      issuer: 'OpenBanking Ltd',
      jwksUri: process.env.DIRECTORY_JWKS_URI ?? 'https://keystore.openbanking.org.uk/keystore/openbanking.jwks',
    },
  ],
})
const port = Number(process.env.PORT ?? 3000)
app.listen(port, '127.0.0.1', () => console.log(`bank listening on http://127.0.0.1:${port}`))
