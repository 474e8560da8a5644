#!/usr/bin/env node
// The `hall-monitor` command: one entry point, one subcommand per job (DESIGN §4).
import { CLASSIFY_USAGE, runClassify } from './classify.js'
import { CONFIG_USAGE, runConfig } from './config.js'
import { EXTRACT_USAGE, runExtract } from './extract.js'
import { LISTS_USAGE, runLists } from './lists.js'
import { SENSOR_USAGE, runSensor } from './sensor.js'
import { SettingsError } from './cli-settings.js'
import { UsageError } from './usage-error.js'
import { runUser, USER_USAGE } from './user.js'
import { runWeb, WEB_USAGE } from './web.js'

const USAGE = `usage: hall-monitor COMMAND [options]

commands:
  extract FILE | --interface IF   print the names devices ask for (DNS, TLS SNI, HTTP Host, DHCP)
  classify --index FILE NAME...   print the categories and severity of names
  lists build DIR --out FILE      compile list files into the index classify and the sensor load
  lists update                    fetch, verify and install the lists (UT1 and configured URLs)
  sensor --interface IF | --replay FILE [--fast]   capture, classify and record
  config [--config FILE]          print the settings in force and where each came from
  web [--port N] [--db PATH]      run the dashboard
  user add NAME --role ROLE       create an account (technician, dsl or governor); password on stdin

Run hall-monitor COMMAND --help for a command's options.`

const commands: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  extract: { run: runExtract, usage: EXTRACT_USAGE },
  classify: { run: runClassify, usage: CLASSIFY_USAGE },
  lists: { run: runLists, usage: LISTS_USAGE },
  sensor: { run: runSensor, usage: SENSOR_USAGE },
  config: { run: (argv) => runConfig(argv), usage: CONFIG_USAGE },
  web: { run: runWeb, usage: WEB_USAGE },
  user: { run: runUser, usage: USER_USAGE },
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n')
    return name === undefined ? 2 : 0
  }
  const command = commands[name]
  if (command === undefined) {
    process.stderr.write(`hall-monitor: unknown command "${name}"\n${USAGE}\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n')
    return 0
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`hall-monitor ${name}: ${(error as Error).message}\n${command.usage}\n`)
      return 2
    }
    if (error instanceof SettingsError) {
      process.stderr.write(error.message + '\n')
      return 1
    }
    process.stderr.write(`hall-monitor ${name}: ${(error as Error).message}\n`)
    return 1
  }
}

// Exit explicitly: a stopped live capture keeps libpcap's poll handle open until one more packet
// arrives (node_pcap frees it only then), which on a quiet interface would be never. All output
// is written synchronously, so nothing is lost.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`hall-monitor: ${String(error)}\n`)
    process.exit(1)
  }
)
