// Test helper: writes small tar archives (POSIX ustar headers) and UT1-style blacklists tarballs.
import { gzipSync } from 'node:zlib'

export interface TarInput {
  name: string
  /** Text or bytes; absent for directories and links. */
  data?: string | Uint8Array
  /** '0' file (default), '5' directory, '2' symlink, 'L' GNU long name, 'x' pax header. */
  typeflag?: string
  linkName?: string
  /** Writes this size in the header instead of the data's (to build lying headers). */
  sizeField?: string
}

/** One 512-byte header block with a correct checksum. */
export function tarHeader(input: TarInput, size: number): Buffer {
  const h = Buffer.alloc(512)
  h.write(input.name, 0, 100, 'utf8')
  h.write('0000644\0', 100, 'latin1')
  h.write('0001750\0', 108, 'latin1')
  h.write('0001750\0', 116, 'latin1')
  h.write(input.sizeField ?? size.toString(8).padStart(11, '0') + '\0', 124, 12, 'latin1')
  h.write('15000000000\0', 136, 'latin1')
  h.write(input.typeflag ?? '0', 156, 'latin1')
  if (input.linkName !== undefined) h.write(input.linkName, 157, 100, 'utf8')
  h.write('ustar\0' + '00', 257, 'latin1')
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  return h
}

export function tar(entries: readonly TarInput[], { endBlocks = 2 } = {}): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const data =
      typeof entry.data === 'string' ? Buffer.from(entry.data) : Buffer.from(entry.data ?? [])
    parts.push(tarHeader(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  parts.push(Buffer.alloc(512 * endBlocks))
  return Buffer.concat(parts)
}

/** A pax extended header's body: records of "<length> key=value\n". */
export function paxRecords(records: Record<string, string>): string {
  let out = ''
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`
    let length = body.length + 1
    while (String(length).length + body.length !== length) length++
    out += `${length}${body}`
  }
  return out
}

/** `blacklists/<category>/domains` for each category, as UT1 lays its archive out, gzipped. */
export function ut1Tarball(categories: Record<string, readonly string[]>): Buffer {
  const entries: TarInput[] = [{ name: 'blacklists/', typeflag: '5' }]
  for (const [category, names] of Object.entries(categories)) {
    entries.push({ name: `blacklists/${category}/`, typeflag: '5' })
    entries.push({ name: `blacklists/${category}/domains`, data: names.join('\n') + '\n' })
    entries.push({ name: `blacklists/${category}/urls`, data: `${names[0] ?? 'x.example'}/page\n` })
  }
  entries.push({ name: 'blacklists/porn', typeflag: '2', linkName: 'adult' })
  return gzipSync(tar(entries))
}

/** n distinct names under `base`, for lists whose size matters. */
export function names(n: number, base: string): string[] {
  return Array.from({ length: n }, (_, i) => `site${i}.${base}`)
}
