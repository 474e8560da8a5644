// The "update now" job: runs `hall-monitor lists update` as a child process, one at a time, keeping its last lines of output.
import { spawn, type ChildProcess } from 'node:child_process'

export type ListUpdateStatus =
  | { kind: 'idle' }
  | { kind: 'running'; startedMs: number; by: string; output: string }
  | {
      kind: 'finished'
      startedMs: number
      finishedMs: number
      by: string
      /** The exit code, or undefined when a signal ended it. */
      exitCode: number | undefined
      output: string
    }

/** Enough of the output to say what happened; the command's own log is in the journal. */
const MAX_OUTPUT_CHARS = 4000

export interface ListUpdateJobOptions {
  /** The program and its arguments, e.g. [node, main.js, 'lists', 'update']. */
  command: readonly [string, ...string[]]
  clock: () => number
}

/**
 * Owns at most one child process. The web server's event loop only hears the child's output and
 * exit, so an update that takes minutes never blocks a page.
 */
export class ListUpdateJob {
  private status: ListUpdateStatus = { kind: 'idle' }
  private child: ChildProcess | undefined

  constructor(private readonly options: ListUpdateJobOptions) {}

  current(): ListUpdateStatus {
    return this.status
  }

  /** Starts an update unless one is running. */
  start(by: string): 'started' | 'already_running' {
    if (this.status.kind === 'running') return 'already_running'
    const [program, ...args] = this.options.command
    const startedMs = this.options.clock()
    const running = { kind: 'running' as const, startedMs, by, output: '' }
    this.status = running
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    const append = (chunk: Buffer) => {
      running.output = (running.output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS)
    }
    child.stdout?.on('data', append)
    child.stderr?.on('data', append)
    const finish = (exitCode: number | undefined, extra = '') => {
      if (this.child !== child) return
      this.child = undefined
      this.status = {
        kind: 'finished',
        startedMs,
        finishedMs: this.options.clock(),
        by,
        exitCode,
        output: (running.output + extra).slice(-MAX_OUTPUT_CHARS),
      }
    }
    child.on('error', (error) => finish(undefined, `\ncould not start: ${error.message}`))
    child.on('close', (code) => finish(code ?? undefined))
    return 'started'
  }

  /** Ends a running update (the command keeps the last good lists when interrupted). */
  stop(): void {
    this.child?.kill('SIGTERM')
  }
}

/** How the web process runs itself: the same node, flags and entry script, with other arguments. */
export function selfCommand(...args: string[]): [string, ...string[]] {
  const script = process.argv[1]
  return [process.execPath, ...process.execArgv, ...(script === undefined ? [] : [script]), ...args]
}
