// check's progress line: on a terminal only, for a run that has gone on for a second,
// and never for a reader of JSON, a pipe or CI. Written straight to the terminal: the
// host holds back what the run prints until it ends (bin/torchshape.cjs).
import { writeSync } from "node:fs";

const shownAfterMs = 1_000;

/** A progress callback for checkPaths, or none where a line would be noise. */
export function checkProgress(format: string): ((done: number, total: number) => void) | undefined {
  if (format === "json" || !process.stderr.isTTY || process.env.CI) return undefined;
  const started = Date.now();
  let shown = false;
  return (done, total) => {
    if (done >= total) {
      if (shown) writeSync(2, "\r\x1b[K");
      return;
    }
    if (!shown && Date.now() - started < shownAfterMs) return;
    shown = true;
    writeSync(2, `\rtorchshape: checked ${done} of ${total} files\x1b[K`);
  };
}
