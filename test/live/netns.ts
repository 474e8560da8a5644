// Test helper: two network namespaces joined by a veth pair, and child processes run inside them.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Whether this process may create namespaces: root, with a working `ip netns`. */
export type NetnsSupport = { kind: 'ok' } | { kind: 'unavailable'; reason: string }

/** Looks a program up in PATH and the sbin directories (root's tools may be missing from PATH). */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin']
  for (const dir of dirs) {
    if (dir === '') continue
    const path = join(dir, name)
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not here
    }
  }
  return undefined
}

/** Checks by doing: adds and deletes a probe namespace, since `ip netns list` works unprivileged. */
export function checkNetnsSupport(): NetnsSupport {
  if (process.getuid?.() !== 0)
    return { kind: 'unavailable', reason: 'needs root to create network namespaces' }
  const ip = findTool('ip')
  if (ip === undefined) return { kind: 'unavailable', reason: '`ip` (iproute2) is not installed' }
  const probe = `hm-probe-${process.pid}`
  const added = spawnSync(ip, ['netns', 'add', probe], { encoding: 'utf8', timeout: 5000 })
  if (added.status !== 0) {
    const why = (added.stderr || String(added.error ?? '')).trim()
    return { kind: 'unavailable', reason: `\`ip netns add\` failed: ${why}` }
  }
  spawnSync(ip, ['netns', 'delete', probe], { timeout: 5000 })
  return { kind: 'ok' }
}

export interface TestNet {
  clientNs: string
  serverNs: string
  /** The veth ends: the client's in clientNs, the server's in serverNs. */
  clientIf: string
  serverIf: string
  clientV4: string
  serverV4: string
  clientV6: string
  serverV6: string
}

function ip(args: string[]): void {
  execFileSync(findTool('ip') ?? 'ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 })
}

/**
 * Creates `hm-cli-<tag>` and `hm-srv-<tag>` with a veth pair made directly inside them (it never
 * exists in the host's namespace), IPv4 10.213.0.1/.2 and IPv6 fd00:213::1/::2 (nodad, so the
 * addresses work at once). Deletes whatever it made when a step fails.
 */
export function createTestNet(tag: string): TestNet {
  const net: TestNet = {
    clientNs: `hm-cli-${tag}`,
    serverNs: `hm-srv-${tag}`,
    // Interface names are at most 15 bytes (IFNAMSIZ - 1).
    clientIf: `hmc${tag}`.slice(0, 15),
    serverIf: `hms${tag}`.slice(0, 15),
    clientV4: '10.213.0.1',
    serverV4: '10.213.0.2',
    clientV6: 'fd00:213::1',
    serverV6: 'fd00:213::2',
  }
  destroyTestNet(net) // a leftover from a run that died with the same tag
  try {
    ip(['netns', 'add', net.clientNs])
    ip(['netns', 'add', net.serverNs])
    const clientEnd = [net.clientIf, 'netns', net.clientNs]
    const serverEnd = [net.serverIf, 'netns', net.serverNs]
    ip(['link', 'add', ...clientEnd, 'type', 'veth', 'peer', 'name', ...serverEnd])
    for (const [ns, dev, v4, v6] of [
      [net.clientNs, net.clientIf, net.clientV4, net.clientV6],
      [net.serverNs, net.serverIf, net.serverV4, net.serverV6],
    ] as const) {
      ip(['-n', ns, 'addr', 'add', `${v4}/24`, 'dev', dev])
      ip(['-n', ns, '-6', 'addr', 'add', `${v6}/64`, 'dev', dev, 'nodad'])
      ip(['-n', ns, 'link', 'set', 'lo', 'up'])
      ip(['-n', ns, 'link', 'set', dev, 'up'])
      wireSizedSegments(ns, dev)
    }
  } catch (cause) {
    destroyTestNet(net)
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString().trim()
    throw new Error(`setting up namespaces ${net.clientNs}, ${net.serverNs}: ${stderr ?? ''}`, {
      cause,
    })
  }
  return net
}

/**
 * Turns off segmentation and receive offloads on a veth end, so the capture sees the segments a
 * real wire (and a switch's mirror port) would carry, not 64 KB super-packets: Chromium's 1.9 KB
 * ClientHello then arrives in two segments, as it does in a school.
 */
function wireSizedSegments(ns: string, dev: string): void {
  const ethtool = findTool('ethtool')
  if (ethtool === undefined) throw new Error('ethtool is missing: apt-get install ethtool')
  execFileSync(
    findTool('ip') ?? 'ip',
    ['netns', 'exec', ns, ethtool, '-K', dev, 'tso', 'off', 'gso', 'off', 'gro', 'off'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 5000,
    }
  )
}

/** Deletes both namespaces (and so the veth pair); quiet when they are already gone. */
export function destroyTestNet(net: TestNet): void {
  const ipPath = findTool('ip') ?? 'ip'
  for (const ns of [net.clientNs, net.serverNs]) {
    spawnSync(ipPath, ['netns', 'delete', ns], { stdio: 'ignore', timeout: 5000 })
  }
}

/** The environment for children: no proxy, so curl talks to the test server and nothing else. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^(https?|ftp|all|no)_proxy$/i.test(key)) delete env[key]
  }
  return env
}

/** A long-running child (a server, the extractor) whose output is kept for assertions. */
export interface Daemon {
  name: string
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name) once the child has exited. */
  exited: Promise<number | string>
}

/** Starts and tracks long-running children so that afterAll can stop every one of them. */
export class Daemons {
  private readonly running: Daemon[] = []

  /**
   * Runs `command args` inside `ns`; the child is killed with SIGKILL after `timeoutMs` at the
   * latest, so nothing outlives a test run even when afterAll never comes.
   */
  start(name: string, ns: string, command: string, args: string[], timeoutMs = 60_000): Daemon {
    // `ip netns exec` execs the command itself, so the child's pid is the command's pid.
    const child = spawn(findTool('ip') ?? 'ip', ['netns', 'exec', ns, command, ...args], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    })
    let out = ''
    let err = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    const exited = new Promise<number | string>((resolve) => {
      child.on('error', (error) => {
        err += `\n[${name}] ${error.message}`
        resolve('error')
      })
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
    })
    const daemon = { name, child, stdout: () => out, stderr: () => err, exited }
    this.running.push(daemon)
    return daemon
  }

  /** SIGTERM to each child still running, then SIGKILL to any that outlive `graceMs`. */
  async stopAll(graceMs = 2000): Promise<void> {
    await Promise.all(this.running.map((d) => stop(d, graceMs)))
  }
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. Resolves with the exit status. */
export async function stop(daemon: Daemon, graceMs = 2000): Promise<number | string> {
  const { child } = daemon
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    try {
      return await daemon.exited
    } finally {
      clearTimeout(timer)
    }
  }
  return daemon.exited
}

/**
 * Waits until `pattern` appears in one of the daemon's streams, after its first `from`
 * characters; fails early if the daemon exits. Resolves with the milliseconds it took.
 * `shown` trims what a failure message quotes (a chatty stream).
 */
export async function waitForOutput(
  daemon: Daemon,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
  timeoutMs: number,
  options: { from?: number; shown?: (text: string) => string } = {}
): Promise<number> {
  const startMs = Date.now()
  const text = (): string => daemon[stream]().slice(options.from ?? 0)
  const shown = (): string => (options.shown ?? ((t: string) => t))(daemon[stream]())
  while (!pattern.test(text())) {
    if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
      throw new Error(
        `${daemon.name} exited before printing ${pattern}:\n${shown()}${daemon.stderr()}`
      )
    }
    if (Date.now() - startMs > timeoutMs) {
      throw new Error(`${daemon.name} did not print ${pattern} within ${timeoutMs} ms:\n${shown()}`)
    }
    await sleep(20)
  }
  return Date.now() - startMs
}

/** Waits until `pattern` appears in the daemon's stderr; fails early if the daemon exits. */
export async function waitForStderr(daemon: Daemon, pattern: RegExp, timeoutMs: number) {
  await waitForOutput(daemon, 'stderr', pattern, timeoutMs)
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a short command inside `ns` and collects its output; SIGKILL after `timeoutMs`. */
export function runIn(
  ns: string,
  command: string,
  args: string[],
  timeoutMs = 10_000
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(findTool('ip') ?? 'ip', ['netns', 'exec', ns, command, ...args], {
      env: childEnv(),
      // No stdin: openssl s_client then closes the connection as soon as the handshake is done.
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (error) => resolve({ code: null, stdout, stderr: stderr + error.message }))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Local sockets `ss` lists in `ns` as `proto address:port`, e.g. `udp 10.213.0.2:53`. */
async function listeningSockets(ns: string): Promise<Set<string>> {
  const { stdout } = await runIn(ns, findTool('ss') ?? 'ss', ['-H', '-l', '-n', '-t', '-u'], 5000)
  const found = new Set<string>()
  for (const line of stdout.split('\n')) {
    const [proto, , , , local] = line.trim().split(/\s+/)
    if (proto !== undefined && local !== undefined) found.add(`${proto} ${local}`)
  }
  return found
}

/** Waits until every `proto address:port` (IPv6 in brackets) is listening inside `ns`. */
export async function waitForListeners(
  ns: string,
  wanted: string[],
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await listeningSockets(ns)
    const missing = wanted.filter((w) => !found.has(w))
    if (missing.length === 0) return
    if (Date.now() > deadline) {
      throw new Error(`not listening in ${ns} after ${timeoutMs} ms: ${missing.join(', ')}`)
    }
    await sleep(50)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
