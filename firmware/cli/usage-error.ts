// A mistake in how a command was called: printed with the command's usage, exit status 2.
export class UsageError extends Error {}
