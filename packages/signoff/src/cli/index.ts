export { main } from './main.js'
export { processIo, type CliIo, type CliOutput } from './cli-io.js'
export { ExitCode, exitCodeForStatus } from './exit-code.js'
