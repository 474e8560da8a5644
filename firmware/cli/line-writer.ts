// Buffers output lines and writes them in large chunks: one write per line is the slowest part
// of printing a million sightings.
import { writeSync } from 'node:fs'

export class LineWriter {
  private chunk = ''

  constructor(
    private readonly fd: number,
    private readonly flushAtChars = 65_536
  ) {}

  write(line: string): void {
    this.chunk += line + '\n'
    if (this.chunk.length >= this.flushAtChars) this.flush()
  }

  flush(): void {
    if (this.chunk.length === 0) return
    const data = Buffer.from(this.chunk, 'utf8')
    this.chunk = ''
    let written = 0
    while (written < data.length) {
      try {
        written += writeSync(this.fd, data, written)
      } catch (error) {
        // A pipe that is full (EAGAIN) is retried; a closed one (EPIPE) ends output quietly.
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') continue
        if (code === 'EPIPE') return
        throw error
      }
    }
  }
}
