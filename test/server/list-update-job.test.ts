// The "update now" job runs one child process at a time and keeps its result and output.
import { describe, expect, it } from 'vitest'
import { ListUpdateJob } from '../../server/routes/list-update-job.js'

async function settled(job: ListUpdateJob) {
  for (let i = 0; i < 200 && job.current().kind === 'running'; i++)
    await new Promise((r) => setTimeout(r, 10))
  return job.current()
}

describe('the list update job', () => {
  it('refuses a second start while one runs, then reports the exit code and output', async () => {
    const job = new ListUpdateJob({
      command: [
        process.execPath,
        '-e',
        "setTimeout(() => { console.log('installed 42 names'); process.exit(3) }, 100)",
      ],
      clock: () => 1000,
    })
    expect(job.current()).toEqual({ kind: 'idle' })
    expect(job.start('tech')).toBe('started')
    expect(job.start('tech')).toBe('already_running')
    expect(await settled(job)).toEqual({
      kind: 'finished',
      startedMs: 1000,
      finishedMs: 1000,
      by: 'tech',
      exitCode: 3,
      output: 'installed 42 names\n',
    })
    expect(job.start('tech')).toBe('started')
    job.stop()
    expect((await settled(job)).kind).toBe('finished')
  })

  it('reports a command that cannot start as finished with the reason', async () => {
    const job = new ListUpdateJob({ command: ['/nonexistent/hall-monitor'], clock: () => 5 })
    job.start('tech')
    const status = await settled(job)
    expect(status).toMatchObject({ kind: 'finished', exitCode: undefined })
    expect(status.kind === 'finished' && status.output).toContain('could not start')
  })
})
