// BCM pin numbers to sysfs GPIO line numbers, from the chips under /sys/class/gpio.
//
// Raspberry Pi OS kernels from 6.6 number sysfs lines from each chip's base (512 for the header on
// a Pi 4, 571 on a Pi 5) where older kernels started the header at 0, so `echo 17 > export` fails
// there. The header's chip is found by its label; its line offsets are the BCM numbers.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One /sys/class/gpio/gpiochipN directory: its name and its base, label and ngpio files. */
export interface GpioChip {
  readonly name: string
  readonly base: number
  readonly label: string
  readonly ngpio: number
}

/** Labels of the chip that drives the 40-pin header, by model. */
export const HEADER_CHIP_LABELS: readonly string[] = [
  'pinctrl-rp1', // Pi 5, Pi 500, CM5 (the RP1 south bridge)
  'pinctrl-bcm2711', // Pi 4, Pi 400, CM4
  'pinctrl-bcm2835', // Pi 1 to 3, Zero and Zero 2 W
]

export type HeaderChipResult =
  { kind: 'ok'; chip: GpioChip } | { kind: 'not_found'; problem: string }

export function findHeaderChip(chips: readonly GpioChip[]): HeaderChipResult {
  for (const label of HEADER_CHIP_LABELS) {
    const chip = chips.find((c) => c.label === label)
    if (chip !== undefined) return { kind: 'ok', chip }
  }
  const seen = chips.map((c) => `${c.name} '${c.label}'`).join(', ')
  return {
    kind: 'not_found',
    problem: `no Raspberry Pi header GPIO chip (${HEADER_CHIP_LABELS.join(', ')}) among ${seen === '' ? 'no chips' : seen}`,
  }
}

export type LineResult = { kind: 'ok'; line: number } | { kind: 'out_of_range'; problem: string }

export function sysfsLine(chip: GpioChip, bcmPin: number): LineResult {
  if (!Number.isInteger(bcmPin) || bcmPin < 0 || bcmPin >= chip.ngpio)
    return {
      kind: 'out_of_range',
      problem: `BCM pin ${bcmPin} is not one of the ${chip.ngpio} lines of ${chip.name} '${chip.label}'`,
    }
  return { kind: 'ok', line: chip.base + bcmPin }
}

/** Lists the gpiochip directories under a sysfs gpio root; unreadable or odd entries are skipped. */
export function readGpioChips(gpioRoot: string): GpioChip[] {
  const chips: GpioChip[] = []
  for (const name of readdirSync(gpioRoot)) {
    if (!/^gpiochip\d+$/.test(name)) continue
    try {
      const read = (file: string): string => readFileSync(join(gpioRoot, name, file), 'utf8').trim()
      const base = Number(read('base'))
      const ngpio = Number(read('ngpio'))
      if (!Number.isInteger(base) || !Number.isInteger(ngpio)) continue
      chips.push({ name, base, label: read('label'), ngpio })
    } catch {
      // A chip that vanished or cannot be read cannot be the header's.
    }
  }
  return chips.sort((a, b) => a.base - b.base)
}
