// How the user's environment is found: the order (--python, [tool.torchshape]
// python, VIRTUAL_ENV, CONDA_PREFIX, .venv/venv at the project root, python3 on
// PATH), the one question asked of the interpreter and its cache, the fallback
// to the usual site-packages places, and [tool.torchshape] itself. Fake
// interpreters in temporary folders: no Python is needed.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeEnvironment, EnvironmentError, findEnvironment, type DiscoveryOptions } from "../../src/environment/discover.js";
import { ProjectConfigError, readProjectConfig } from "../../src/environment/projectConfig.js";
import { fakePython, fakeVenv } from "./fakePython.js";

const scratch = mkdtempSync(join(tmpdir(), "torchshape-discovery-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** A project folder with a model file, its own cache folder, and nothing on PATH but a fake python3. */
function project(pyproject?: string) {
  const dir = join(scratch, `p${++counter}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  if (pyproject !== undefined) writeFileSync(join(dir, "pyproject.toml"), pyproject);
  else mkdirSync(join(dir, ".git"));
  const file = join(dir, "src", "model.py");
  writeFileSync(file, "import torch\n");
  const pathDir = join(dir, "path-bin");
  const onPath = fakePython(join(pathDir, "python3"), [join(dir, "path-site")]);
  mkdirSync(join(dir, "path-site"));
  const options = (env: NodeJS.ProcessEnv = {}, more: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({ env: { PATH: pathDir, ...env }, cacheDir: join(dir, "cache"), usualPlaces: () => [], ...more });
  return { dir, file, onPath, options };
}

describe("the interpreter is found as pyright finds it", () => {
  it("python3 on PATH when nothing else is there", () => {
    const p = project();
    const env = findEnvironment(p.file, p.options());
    expect(env.how).toBe("python3 on PATH");
    expect(env.interpreter).toBe(p.onPath.path);
    expect(env.sitePaths).toEqual([join(p.dir, "path-site")]);
  });

  it("a .venv at the project root beats PATH, and venv is looked for too", () => {
    const p = project();
    const venv = fakeVenv(join(p.dir, "venv"));
    expect(findEnvironment(p.file, p.options()).interpreter).toBe(venv.python.path);
    const dotVenv = fakeVenv(join(p.dir, ".venv"));
    const env = findEnvironment(p.file, p.options({}, { cacheDir: join(p.dir, "cache2") }));
    expect(env.how).toBe(".venv at the project root");
    expect(env.interpreter).toBe(dotVenv.python.path);
    expect(env.sitePaths).toEqual([dotVenv.sitePackages]);
  });

  it("CONDA_PREFIX beats the project's .venv, VIRTUAL_ENV beats CONDA_PREFIX", () => {
    const p = project();
    fakeVenv(join(p.dir, ".venv"));
    const conda = fakeVenv(join(scratch, `conda${counter}`));
    const active = fakeVenv(join(scratch, `active${counter}`));
    expect(findEnvironment(p.file, p.options({ CONDA_PREFIX: conda.prefix })).how).toBe("CONDA_PREFIX");
    const env = findEnvironment(p.file, p.options({ CONDA_PREFIX: conda.prefix, VIRTUAL_ENV: active.prefix }));
    expect(env.how).toBe("VIRTUAL_ENV");
    expect(env.sitePaths).toEqual([active.sitePackages]);
  });

  it("[tool.torchshape] python beats the active environment, --python beats both", () => {
    const p = project('[tool.torchshape]\npython = "tools/py/bin/python"  # the project\'s own\n');
    const configured = fakeVenv(join(p.dir, "tools", "py"));
    const active = fakeVenv(join(scratch, `active${counter}`));
    const env = findEnvironment(p.file, p.options({ VIRTUAL_ENV: active.prefix }));
    expect(env.how).toBe("[tool.torchshape] python");
    expect(env.interpreter).toBe(configured.python.path);
    const given = fakeVenv(join(scratch, `given${counter}`));
    // a virtual environment's folder is accepted as well as its interpreter
    const byFlag = findEnvironment(p.file, p.options({ VIRTUAL_ENV: active.prefix }, { python: given.prefix }));
    expect(byFlag.how).toBe("--python");
    expect(byFlag.interpreter).toBe(given.python.path);
  });

  it("an interpreter the user names that is not there is bad input", () => {
    const p = project();
    expect(() => findEnvironment(p.file, p.options({}, { python: join(p.dir, "no", "python") }))).toThrow(EnvironmentError);
    expect(() => findEnvironment(p.file, p.options({}, { python: "python9.9" }))).toThrow(/not on PATH/);
  });
});

describe("the interpreter is asked once", () => {
  it("caches its answer on disk, keyed by the interpreter's path and mtime", () => {
    const p = project();
    findEnvironment(p.file, p.options());
    expect(p.onPath.runs()).toBe(1);
    // another process (a new memo) with the same cache folder asks nobody
    findEnvironment(join(p.dir, "src", "other.py"), p.options({ PYTHONPATH: "" }));
    expect(p.onPath.runs()).toBe(1);
    // a reinstalled interpreter is asked again
    utimesSync(p.onPath.path, new Date(), new Date(Date.now() + 5000));
    findEnvironment(p.file, p.options({ PYTHONPATH: "" }, { cacheDir: join(p.dir, "cache") , python: p.onPath.path }));
    expect(p.onPath.runs()).toBe(2);
  });

  it("leaves the standard library and the working folder out of the import folders", () => {
    const p = project();
    const stdlib = join(p.dir, "stdlib");
    mkdirSync(join(stdlib, "lib-dynload"), { recursive: true });
    const py = fakePython(join(p.dir, "std", "python"), [join(stdlib, "lib-dynload"), join(p.dir, "path-site")], stdlib);
    expect(findEnvironment(p.file, p.options({}, { python: py.path })).sitePaths).toEqual([join(p.dir, "path-site")]);
  });

  it("an interpreter that fails is a problem in the note, not a crash", () => {
    const p = project();
    const broken = join(p.dir, "broken", "python");
    mkdirSync(join(p.dir, "broken"));
    writeFileSync(broken, "#!/bin/sh\necho 'no such module' >&2\nexit 3\n", { mode: 0o755 });
    const env = findEnvironment(p.file, p.options({}, { python: broken }));
    expect(env.problem).toMatch(/exited with status 3: no such module/);
    expect(describeEnvironment(env)).toMatch(/^environment: --python \(.*broken\/python\); gave no sys.path: .*exited with status 3/);
  });
});

describe("no torch in the interpreter's packages", () => {
  it("falls back to the usual site-packages places that hold torch, after the interpreter's own", () => {
    const p = project();
    const system = join(p.dir, "system-dist-packages");
    mkdirSync(join(system, "torch"), { recursive: true });
    writeFileSync(join(system, "torch", "__init__.py"), "");
    writeFileSync(join(system, "torch", "version.py"), "__version__ = '1.13.0a0'\ndebug = False\n");
    const env = findEnvironment(p.file, p.options({}, { usualPlaces: () => [system] }));
    expect(env.sitePaths).toEqual([join(p.dir, "path-site"), system]);
    expect(env.fallbackPaths).toEqual([system]);
    expect(describeEnvironment(env)).toBe(`environment: python3 on PATH (${p.onPath.path}); has no torch, so installed packages from ${system}; torch 1.13.0a0 in ${join(system, "torch")}`);
    expect(env.torchVersion).toBe("1.13.0a0");
  });

  it("does not fall back when the interpreter has torch", () => {
    const p = project();
    mkdirSync(join(p.dir, "path-site", "torch"));
    writeFileSync(join(p.dir, "path-site", "torch", "__init__.py"), "");
    const env = findEnvironment(p.file, p.options({}, { usualPlaces: () => ["/should/not/be/used"] }));
    expect(env.fallbackPaths).toEqual([]);
    // a torch without version.py: the version is unknown (and the latest release is modelled)
    expect(describeEnvironment(env)).toMatch(/; torch \(version unknown\) in .*path-site\/torch$/);
    expect(env.torchVersion).toBeUndefined();
  });
});

describe("[tool.torchshape]", () => {
  it("reads python, search-path, exclude and inputs, paths taken from the pyproject's folder", () => {
    const p = project(
      [
        "[project]",
        'name = "demo"',
        'description = """two',
        '[not a table]"""',
        "version_float = 1.5",
        "",
        "[tool.black]",
        "line-length = 88",
        "",
        "[tool.torchshape]",
        'python = "python3"          # a command: looked up on PATH',
        'search-path = ["src", "/opt/extra"]',
        "exclude = [",
        '  "experiments",  # old',
        "]",
        "",
        "[tool.torchshape.inputs]",
        'Net = ["1,3,32,32"]',
        '"resnet18(num_classes=10)" = ["1,3,224,224", "1,10"]',
      ].join("\n"),
    );
    const config = readProjectConfig(join(p.dir, "pyproject.toml"))!;
    expect(config.python).toBe("python3");
    expect(config.searchPaths).toEqual([join(p.dir, "src"), "/opt/extra"]);
    expect(config.exclude).toEqual([join(p.dir, "experiments")]);
    expect([...config.inputs]).toEqual([
      ["Net", ["1,3,32,32"]],
      ["resnet18(num_classes=10)", ["1,3,224,224", "1,10"]],
    ]);
    const env = findEnvironment(p.file, p.options());
    expect(env.how).toBe("[tool.torchshape] python");
    expect(env.interpreter).toBe(p.onPath.path);
  });

  it("a pyproject.toml without the table has no config; a wrong setting is bad input naming the file", () => {
    const p = project('[tool.ruff]\nline-length = 100\n');
    expect(readProjectConfig(join(p.dir, "pyproject.toml"))).toBeUndefined();
    const q = project('[tool.torchshape]\npythn = "x"\n');
    expect(() => readProjectConfig(join(q.dir, "pyproject.toml"))).toThrow(ProjectConfigError);
    expect(() => readProjectConfig(join(q.dir, "pyproject.toml"))).toThrow(/has no setting 'pythn'/);
    const r = project('[tool.torchshape]\nsearch-path = ["src"\n');
    expect(() => readProjectConfig(join(r.dir, "pyproject.toml"))).toThrow(/pyproject.toml: line 3:/);
  });
});
