// How many worker threads `check` starts when --jobs is not given. A worker is not
// free: it loads the bundle and then every library module its files import (each
// thread has its own trees and evaluated modules), and its results cross to the main
// thread. Measured on torchvision's models folder (60 files) on 2 cores, two workers
// used 1.6-2.3 s more CPU than one thread (8.0 against 6.4 s) and were never faster:
// equal wall time at a load of 1.7-3.3, 38% slower at 3.6-6.7. So workers are started
// only where they can pay: more than two cores, at least two of them idle by the load
// average, and at least 8 files for each worker.
export const filesPerWorkerAtLeast = 8;

/** The workers for `files` files on a machine running `cores` threads at once with `load` (its 1-minute load average); 1: none, the main thread alone. */
export function defaultWorkerCount(files: number, cores: number, load: number): number {
  if (cores <= 2) return 1;
  // os.loadavg() is [0, 0, 0] on Windows: every core counts as idle there
  const idle = Math.floor(cores - Math.max(0, load));
  const workers = Math.min(idle, Math.floor(files / filesPerWorkerAtLeast));
  return workers >= 2 ? workers : 1;
}
