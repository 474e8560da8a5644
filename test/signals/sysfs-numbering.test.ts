// Finding the header's GPIO chip and numbering BCM pins as sysfs lines.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  findHeaderChip,
  readGpioChips,
  sysfsLine,
  type GpioChip,
} from '../../firmware/signals/sysfs-numbering.js'

const pi4: GpioChip[] = [
  { name: 'gpiochip512', base: 512, label: 'pinctrl-bcm2711', ngpio: 58 },
  { name: 'gpiochip570', base: 570, label: 'raspberrypi-exp-gpio', ngpio: 8 },
]
const pi5: GpioChip[] = [
  { name: 'gpiochip512', base: 512, label: 'gpio-brcmstb@107d508500', ngpio: 32 },
  { name: 'gpiochip544', base: 544, label: 'gpio-brcmstb@107d508520', ngpio: 32 },
  { name: 'gpiochip571', base: 571, label: 'pinctrl-rp1', ngpio: 54 },
]
const pi3OldKernel: GpioChip[] = [
  { name: 'gpiochip0', base: 0, label: 'pinctrl-bcm2835', ngpio: 54 },
  { name: 'gpiochip504', base: 504, label: 'raspberrypi-exp-gpio', ngpio: 8 },
]

function lineOf(chips: GpioChip[], bcm: number): unknown {
  const found = findHeaderChip(chips)
  if (found.kind !== 'ok') return found
  return sysfsLine(found.chip, bcm)
}

describe('findHeaderChip and sysfsLine', () => {
  it('numbers BCM 17 as line 529 on a Pi 4 with a 6.6 kernel', () => {
    expect(lineOf(pi4, 17)).toEqual({ kind: 'ok', line: 529 })
  })

  it('numbers BCM 17 as line 588 on a Pi 5, past the SoC chips that come first', () => {
    expect(lineOf(pi5, 17)).toEqual({ kind: 'ok', line: 588 })
  })

  it('numbers BCM 17 as line 17 on an older kernel that starts at 0', () => {
    expect(lineOf(pi3OldKernel, 17)).toEqual({ kind: 'ok', line: 17 })
  })

  it('refuses a pin beyond the chip', () => {
    expect(lineOf(pi4, 58)).toEqual({
      kind: 'out_of_range',
      problem: "BCM pin 58 is not one of the 58 lines of gpiochip512 'pinctrl-bcm2711'",
    })
  })

  it('names the chips it saw when none is a Pi header', () => {
    expect(
      findHeaderChip([{ name: 'gpiochip0', base: 0, label: 'INT34C5:00', ngpio: 360 }])
    ).toEqual({
      kind: 'not_found',
      problem:
        "no Raspberry Pi header GPIO chip (pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835) among gpiochip0 'INT34C5:00'",
    })
    expect(findHeaderChip([])).toMatchObject({ kind: 'not_found' })
  })
})

describe('readGpioChips', () => {
  let root: string | undefined
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true })
  })

  it('reads base, label and ngpio of each gpiochip directory, ignoring everything else', () => {
    root = mkdtempSync(join(tmpdir(), 'hm-gpio-'))
    const chip = (name: string, base: string, label: string, ngpio: string) => {
      mkdirSync(join(root!, name))
      writeFileSync(join(root!, name, 'base'), base)
      writeFileSync(join(root!, name, 'label'), label)
      writeFileSync(join(root!, name, 'ngpio'), ngpio)
    }
    chip('gpiochip570', '570\n', 'raspberrypi-exp-gpio\n', '8\n')
    chip('gpiochip512', '512\n', 'pinctrl-bcm2711\n', '58\n')
    chip('gpiochip600', 'garbage\n', 'odd\n', '1\n')
    mkdirSync(join(root, 'gpiochip700')) // no files
    writeFileSync(join(root, 'export'), '')
    mkdirSync(join(root, 'gpio529'))
    expect(readGpioChips(root)).toEqual(pi4)
  })
})
