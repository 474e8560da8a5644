// STYLE.md: exactly one file imports onoff, so the hardware sits behind one module tests replace.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

it('lets only firmware/signals/onoff-gpio.ts import onoff', () => {
  const importers = ['firmware', 'server', 'scripts']
    .flatMap(sources)
    .filter((file) =>
      /(?:from\s+|require\()\s*['"]onoff['"]/.test(readFileSync(join(root, file), 'utf8'))
    )
  expect(importers).toEqual(['firmware/signals/onoff-gpio.ts'])
})
