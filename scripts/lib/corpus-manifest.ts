// Reads the corpus MANIFEST.tsv (see ../shared/corpus/README.md) into typed rows.

export interface ManifestRow {
  /** Path relative to the corpus directory, e.g. `pcaps/zeek/http-qinq-0.pcap`. */
  file: string
  category: 'events' | 'negative' | 'robustness'
  bytes: number
  /** `format/linktype` as capinfos names it, e.g. `pcapng/ether`, or `damaged`. */
  formatLinkType: string
  features: string
}

export function parseManifest(text: string): ManifestRow[] {
  const [headerLine, ...lines] = text.split('\n')
  const header = (headerLine ?? '').split('\t')
  const col = (name: string): number => {
    const i = header.indexOf(name)
    if (i < 0) throw new Error(`MANIFEST.tsv has no column ${name}`)
    return i
  }
  const file = col('file')
  const category = col('category')
  const bytes = col('bytes')
  const formatLinkType = col('format/linktype')
  const features = col('features')
  const rows: ManifestRow[] = []
  for (const line of lines) {
    if (line.trim() === '') continue
    const cells = line.split('\t')
    const cat = cells[category]
    if (cat !== 'events' && cat !== 'negative' && cat !== 'robustness') {
      throw new Error(`MANIFEST.tsv: unknown category ${String(cat)} in ${line.slice(0, 80)}`)
    }
    rows.push({
      file: cells[file] ?? '',
      category: cat,
      bytes: Number(cells[bytes] ?? 'NaN'),
      formatLinkType: cells[formatLinkType] ?? '',
      features: cells[features] ?? '',
    })
  }
  return rows
}

/** Ethernet captures that capinfos could read: `pcap/ether`, `pcapng/ether`, `nsecpcap/ether`. */
export function isReadableEthernet(row: ManifestRow): boolean {
  return (
    row.formatLinkType.endsWith('/ether') &&
    !row.formatLinkType.startsWith('damaged') &&
    !row.features.includes('damaged-capture-file')
  )
}

/** The truth file beside a capture: `pcaps/<source>/<name>` → `truth/<source>/<name>.tsv`. */
export function truthPathFor(file: string): string {
  return `${file.replace(/^pcaps\//, 'truth/')}.tsv`
}
