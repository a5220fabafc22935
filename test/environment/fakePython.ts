// Fake interpreters for discovery tests: a shell script that prints the answer a
// real Python would give to torchshape's sys.path question, and counts its runs.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface FakePython {
  readonly path: string;
  /** how many times it was run */
  runs(): number;
}

/** An executable at `path` answering with this sys.path (and stdlib folder). */
export function fakePython(path: string, sysPath: readonly string[], stdlib = "/nonexistent/lib/python3.11"): FakePython {
  mkdirSync(dirname(path), { recursive: true });
  const counter = `${path}.runs`;
  const answer = JSON.stringify({ sysPath: ["", stdlib, ...sysPath], stdlib: [stdlib, stdlib], pythonVersion: "3.11.2", stdlibModules: ["os", "sys", "subprocess"] });
  // shell builtins only: the tests run it with a PATH of their own
  writeFileSync(path, `#!/bin/sh\necho run >> '${counter}'\nprintf '%s\\n' '${answer}'\n`);
  chmodSync(path, 0o755);
  return { path, runs: () => (existsSync(counter) ? readFileSync(counter, "utf8").split("\n").filter(Boolean).length : 0) };
}

/** A virtual environment folder (pyvenv.cfg, bin/python) whose python reports its own site-packages first. */
export function fakeVenv(prefix: string, extraSysPath: readonly string[] = []): { prefix: string; python: FakePython; sitePackages: string } {
  const sitePackages = join(prefix, "lib", "python3.11", "site-packages");
  mkdirSync(sitePackages, { recursive: true });
  writeFileSync(join(prefix, "pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = false\n");
  return { prefix, sitePackages, python: fakePython(join(prefix, "bin", "python"), [sitePackages, ...extraSysPath]) };
}
