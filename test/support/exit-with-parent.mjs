// Preloaded (--import) into sandboxes the tests start as child processes: their stdin is a pipe
// from the test process, which closes when that process ends, however it ends (a killed vitest
// worker included), so no sandbox outlives the test run.
process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
