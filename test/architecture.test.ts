// The dependency direction of STYLE.md: firmware imports nothing from server or views, views
// import nothing of ours but types, and exactly one file imports pcap.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(path))
    else if (/\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)
}

describe('the dependency direction', () => {
  it('keeps firmware free of imports from server and views', () => {
    const offenders = sources('firmware').filter((f) =>
      imports(f).some((i) => /(^|\/)(server|views)\//.test(i))
    )
    expect(offenders).toEqual([])
  })

  it('lets exactly one file load the pcap module', () => {
    const loaders = sources('firmware')
      .concat(sources('scripts'))
      .filter((f) => imports(f).some((i) => i === 'pcap' || i.startsWith('pcap/')))
      .map((f) => relative(root, join(root, f)))
    expect(loaders).toEqual(['firmware/capture/pcap-session.ts'])
  })
})
