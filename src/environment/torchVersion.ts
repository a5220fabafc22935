// The torch version an analysis models: --torch-version, else the version of the
// torch in the user's environment (its torch/version.py, read as text, never
// imported), else the latest stable release this knowledge was written against.
import { join } from "node:path";
import { readTextFile } from "../analysis/diskReads.js";
import { parseVersion } from "../eval/versionOrder.js";
export { latestTorchVersion } from "../torch/torchApi.js";


/** `__version__ = '1.13.0a0'` of a torch package folder; undefined when absent or unreadable. */
export function readTorchVersion(torchFolder: string): string | undefined {
  let text: string;
  try {
    text = readTextFile(join(torchFolder, "version.py"));
  } catch {
    return undefined;
  }
  const m = /^__version__\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]/m.exec(text);
  return m && parseVersion(m[1]) ? m[1] : undefined;
}

/** Bad input: a --torch-version that is no version. */
export class TorchVersionError extends Error {}

/** A version the user wrote (--torch-version 2.1, an editor setting), checked. */
export function checkedTorchVersion(text: string, from: string): string {
  if (!parseVersion(text)) throw new TorchVersionError(`${from} '${text}' is not a version (e.g. 1.13 or 2.1.0)`);
  return text.trim();
}
