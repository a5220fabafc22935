// The usual places of installed packages, for when no interpreter found has
// torch (a pyenv or tool-managed python3 first on PATH, torch from the system's
// packages): Debian's dist-packages, /usr/local, the user's site, conda's base.
import { homedir } from "node:os";
import { join } from "node:path";
import { listFolder, pathExists } from "../analysis/diskReads.js";

/** python3.X folders under a lib folder, newest first. */
function pythonVersionFolders(lib: string): string[] {
  try {
    return listFolder(lib)
      .filter((n) => /^python3\.\d+$/.test(n))
      .sort((a, b) => Number(b.slice(8)) - Number(a.slice(8)))
      .map((n) => join(lib, n));
  } catch {
    return [];
  }
}

export function hasTorch(dir: string): boolean {
  return pathExists(join(dir, "torch", "__init__.py"));
}

/** The usual site-packages folders that hold torch, most specific first. */
export function usualSitePackages(home: string = homedir()): string[] {
  const candidates = [
    ...pythonVersionFolders(join(home, ".local", "lib")).map((d) => join(d, "site-packages")),
    ...pythonVersionFolders("/usr/local/lib").flatMap((d) => [join(d, "site-packages"), join(d, "dist-packages")]),
    "/usr/lib/python3/dist-packages",
    ...pythonVersionFolders("/usr/lib").map((d) => join(d, "site-packages")),
    ...pythonVersionFolders("/opt/conda/lib").map((d) => join(d, "site-packages")),
  ];
  return candidates.filter(hasTorch);
}
