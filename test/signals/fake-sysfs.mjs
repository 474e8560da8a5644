// Test helper: plays the kernel's part of a sysfs GPIO directory on a tmpfs, and samples its lines.
//
// node fake-sysfs.mjs GPIO_DIR SAMPLES_FILE READY_FILE
// GPIO_DIR/export and unexport are FIFOs (two quick writes to a plain file would leave only the
// second to see): a number written to export
// becomes GPIO_DIR/gpioN/{direction,value,edge,active_low} as a fresh kernel line has them (an
// input reading 0); one written to unexport removes its directory. Every 2 ms each line's direction
// and value, when changed, are appended to SAMPLES_FILE as `tsMs gpioN direction|value VALUE`.
// Exits when its parent goes.
import {
  appendFileSync,
  constants,
  openSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

const [gpioDir, samplesFile, readyFile] = process.argv.slice(2)
if (gpioDir === undefined || samplesFile === undefined || readyFile === undefined) {
  process.stderr.write('usage: fake-sysfs.mjs GPIO_DIR SAMPLES_FILE READY_FILE\n')
  process.exit(2)
}
const parent = process.ppid
const seen = new Map()

/**
 * Holds a FIFO open for reading and writing, so no write is lost between readers and a writer's
 * open never waits, and hands over each number written. Writes that follow each other closely
 * arrive together, and onoff writes no newline, so '529539' is split into numbers whose lines
 * exist where it can be (unexport); onoff-gpio.ts waits for each exported line before the next.
 */
function serve(fifo, handle) {
  const fd = openSync(join(gpioDir, fifo), constants.O_RDWR)
  createReadStream('', { fd, encoding: 'utf8' }).on('data', (chunk) => {
    for (const token of chunk.split(/\s+/).filter((t) => /^\d+$/.test(t)))
      for (const n of splitNumbers(token)) handle(join(gpioDir, `gpio${n}`))
  })
}

function splitNumbers(digits) {
  if (existsSync(join(gpioDir, `gpio${digits}`))) return [digits]
  for (let i = 1; i < digits.length; i++) {
    const head = digits.slice(0, i)
    if (existsSync(join(gpioDir, `gpio${head}`))) return [head, ...splitNumbers(digits.slice(i))]
  }
  return [digits]
}

serve('export', (line) => {
  mkdirSync(line, { recursive: true })
  writeFileSync(join(line, 'active_low'), '0\n')
  writeFileSync(join(line, 'edge'), 'none\n')
  writeFileSync(join(line, 'value'), '0\n')
  // Written last: onoff-gpio.ts waits for direction too, so the line is whole when it opens.
  writeFileSync(join(line, 'direction'), 'in\n')
})
serve('unexport', (line) => {
  // The last value written before unexport would otherwise go unseen.
  sample(line, Date.now())
  rmSync(line, { recursive: true, force: true })
})

function tick() {
  if (process.ppid !== parent) process.exit(0)
  for (const name of readdirSync(gpioDir)) {
    if (!/^gpio\d+$/.test(name)) continue
    // The kernel takes 'high' and 'low' as an output starting at that level and reads back 'out'.
    // The value is left alone: outputs in these tests start low, and a late write of the initial
    // level here could undo the indicator's first write.
    const direction = join(gpioDir, name, 'direction')
    try {
      if (/^(high|low)$/.test(readFileSync(direction, 'utf8').trim()))
        writeFileSync(direction, 'out\n')
    } catch {
      // unexported meanwhile
    }
  }
  const nowMs = Date.now()
  for (const name of readdirSync(gpioDir))
    if (/^gpio\d+$/.test(name)) sample(join(gpioDir, name), nowMs)
}

function sample(line, nowMs) {
  const name = line.slice(line.lastIndexOf('/') + 1)
  for (const field of ['direction', 'value']) {
    let value
    try {
      value = readFileSync(join(line, field), 'utf8').trim()
    } catch {
      continue
    }
    const key = `${name} ${field}`
    if (seen.get(key) === value) continue
    seen.set(key, value)
    appendFileSync(samplesFile, `${nowMs} ${key} ${value}\n`)
  }
}

tick()
writeFileSync(readyFile, '')
setInterval(tick, 2)
