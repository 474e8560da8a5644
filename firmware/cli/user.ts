// `hall-monitor user add NAME --role ROLE`: accounts, whose code lives in server/auth and is loaded only when this command runs.

export const USER_USAGE = `usage: hall-monitor user add NAME --role technician|dsl|governor [--db PATH] [--config FILE]

Creates an account. The password is read from standard input: its first line, and a second
identical line to confirm it when given (printf '%s\\n%s\\n' "$pw" "$pw" | hall-monitor user add ...).
A password needs at least 10 characters. Names are 1 to 64 letters, digits, . _ @ or -.`

export async function runUser(argv: string[]): Promise<number> {
  const { runUserCommand } = await import('../../server/user-command.js')
  return runUserCommand(argv)
}
