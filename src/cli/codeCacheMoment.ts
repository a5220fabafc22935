// When a long-running command has compiled what it typically runs. The host (bin/)
// keeps V8's code cache of the bundle, written once the run has compiled its code; a
// summary's run ends, but a server's never does, so the server says when: after its
// first analysis, when the analysis code is compiled too.
let waiting: (() => void) | undefined;

/** The host's: called once, at the moment below. */
export function onTypicalCodeCompiled(callback: () => void): void {
  waiting = callback;
}

export function typicalCodeCompiled(): void {
  const callback = waiting;
  waiting = undefined;
  callback?.();
}
