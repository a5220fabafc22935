// Bad options on the command line: one line on stderr and exit 2.
export class UsageError extends Error {}
