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
  return [...text.matchAll(/(?:from\s+|require\(|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)
}

/** Imports that bring code, not only types (`import type` and `export type` are erased). */
function valueImports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [
    ...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/(?:require\(|import\()\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!)
}

/**
 * The one `hall-monitor` command lives in firmware/cli; its `web`, `user`, `report` and `weekly` subcommands load the
 * web side lazily, only when they run, so the sensor never loads it.
 */
const COMMANDS_THAT_START_THE_WEB_SIDE: Readonly<Record<string, string>> = {
  'firmware/cli/web.ts': '../../server/web-command.js',
  'firmware/cli/user.ts': '../../server/user-command.js',
  'firmware/cli/report.ts': '../../server/report/report-command.js',
  'firmware/cli/weekly.ts': '../../server/report/weekly-command.js',
}

describe('the dependency direction', () => {
  it('keeps firmware free of imports from server and views', () => {
    const offenders = sources('firmware').filter((f) =>
      imports(f).some(
        (i) => /(^|\/)(server|views)\//.test(i) && COMMANDS_THAT_START_THE_WEB_SIDE[f] !== i
      )
    )
    expect(offenders).toEqual([])
  })

  it('loads the web side from firmware only in the web and user commands, lazily', () => {
    for (const [file, target] of Object.entries(COMMANDS_THAT_START_THE_WEB_SIDE)) {
      const text = readFileSync(join(root, file), 'utf8')
      expect(text).toContain(`await import('${target}')`)
      expect(text).not.toMatch(/^import .*server\//m)
    }
  })

  it('lets views import nothing of ours but types', () => {
    const offenders = sources('views').filter((f) =>
      valueImports(f).some((i) => i.startsWith('.') && !/^\.\/[^/]+\.js$/.test(i))
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
