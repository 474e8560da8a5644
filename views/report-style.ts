// The report's stylesheet: A4 pages, black-and-white friendly, page breaks that never split a row or a chart.

/** `fingerprint` goes into the page margins, so it is printed on every page. */
export function reportStyle(fingerprint: string): string {
  // Hex only: it is written into the stylesheet unescaped.
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new Error('a fingerprint is 64 hex digits')
  return `
@page {
  size: A4;
  margin: 16mm 14mm 20mm 14mm;
  @bottom-left { content: "SHA-256 ${fingerprint}"; font: 6.5pt monospace; width: 70%; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; }
}
html { font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #000; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.meta { margin: 0 0 1mm; }
.fingerprint { font: 8pt monospace; word-break: break-all; }
.note { font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9pt; }
th, td { border: 0.75pt solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr, figure, .keep, .figures div, .sign div { break-inside: avoid; }
figure { margin: 2mm 0 4mm; }
figcaption { font-size: 8.5pt; }
.chart { width: 100%; height: auto; display: block; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2mm; margin: 0; }
.figures div { border: 0.75pt solid #000; padding: 1.5mm 2mm; }
.figures dt { font-size: 8.5pt; }
.figures dd { margin: 0; font-size: 14pt; font-weight: bold; }
.commentary { white-space: pre-wrap; border-left: 2pt solid #000; padding-left: 3mm; }
.status-met::before { content: "\\2713  "; }
.status-not_met::before { content: "\\2717  "; }
.status-not_entered::before { content: "?  "; }
.sign { display: grid; grid-template-columns: 1fr; gap: 6mm; margin-top: 4mm; }
.sign div { border-bottom: 0.75pt solid #000; padding-top: 8mm; }
ul.limits li { margin-bottom: 1mm; }
@media screen { body { padding: 8mm; } footer.screen-fingerprint { margin-top: 8mm; } }
@media print { footer.screen-fingerprint { display: none; } }
`
}
