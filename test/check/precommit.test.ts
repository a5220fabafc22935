// The pre-commit hook end to end with the real pre-commit: a temporary project
// whose .pre-commit-config.yaml points at a snapshot of this repository (its work
// tree, committed into a local git repository), installed by pre-commit as a node
// hook (npm install, npm pack, npm install -g) from npm's local cache only.
// Committing the article's Net at 28 × 28 is refused with the diagnostic; at
// 32 × 32 it goes through; the article as a notebook at 28 × 28 is refused naming its cell.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const article = readFileSync(join(root, "fixtures", "models", "article_net.py"), "utf8");
const articleNotebook = readFileSync(join(root, "fixtures", "notebooks", "article_net.ipynb"), "utf8");

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 60_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout, killSignal: "SIGKILL" });
}

const git = (cwd: string, ...args: string[]) => run("git", ["-c", "user.name=torchshape test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], cwd, hookEnv);

/** pre-commit's own state in a temporary folder; npm from its local cache only, so no network is needed. */
const hookEnv: NodeJS.ProcessEnv = { ...process.env, PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), "torchshape-pre-commit-home-")), npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };

/** This work tree as it is (tracked files and new ones git does not ignore), committed into a fresh repository. */
function snapshotOfThisRepository(): { path: string; rev: string } {
  const listed = run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], root);
  expect(listed.status, listed.stderr).toBe(0);
  const path = mkdtempSync(join(tmpdir(), "torchshape-hook-repo-"));
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(path, file)), { recursive: true });
    copyFileSync(join(root, file), join(path, file));
  }
  expect(git(path, "init", "-q").status).toBe(0);
  expect(git(path, "add", "-A").status).toBe(0);
  const commit = git(path, "commit", "-q", "-m", "snapshot");
  expect(commit.status, commit.stderr).toBe(0);
  return { path, rev: git(path, "rev-parse", "HEAD").stdout.trim() };
}

describe("the pre-commit hook", () => {
  it("declares the hook pre-commit reads", () => {
    const manifest = readFileSync(join(root, ".pre-commit-hooks.yaml"), "utf8");
    expect(manifest).toMatch(/^- id: torchshape$/m);
    expect(manifest).toMatch(/^ {2}entry: torchshape check$/m);
    expect(manifest).toMatch(/^ {2}language: node$/m);
    expect(manifest).toMatch(/^ {2}language_version: system$/m);
    expect(manifest).toMatch(/^ {2}types_or: \[python, jupyter\]$/m);
  });

  it("refuses a commit of the article's Net at 28 × 28 with the diagnostic, and lets it through at 32 × 32", () => {
    const version = run("pre-commit", ["--version"], root);
    expect(version.error, "pre-commit is not installed (apt-get install pre-commit; .ci/run does it)").toBeUndefined();

    const hook = snapshotOfThisRepository();
    const project = mkdtempSync(join(tmpdir(), "torchshape-project-"));
    expect(git(project, "init", "-q").status).toBe(0);
    writeFileSync(join(project, ".pre-commit-config.yaml"), `repos:\n  - repo: ${hook.path}\n    rev: ${hook.rev}\n    hooks:\n      - id: torchshape\n`);
    const install = run("pre-commit", ["install"], project, hookEnv);
    expect(install.status, install.stderr).toBe(0);

    writeFileSync(join(project, "net.py"), article.replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,28,28"));
    expect(git(project, "add", ".pre-commit-config.yaml", "net.py").status).toBe(0);
    // the first run installs the hook: npm install (with the build), npm pack, npm install -g
    const refused = run("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-m", "a model at 28 x 28"], project, hookEnv, 900_000);
    const said = `${refused.stdout}\n${refused.stderr}`;
    expect(refused.status, said).toBe(1);
    expect(said).toMatch(/torchshape\.+Failed/);
    expect(said).toContain(
      "net.py:21:13: error[view-size] x.view(-1, 8 * 8 * 8) assumes 512 = 8 * 8 * 8 features per sample, but x has 392 = 8 × 7 × 7 after pool2 (input 28 × 28)",
    );
    expect(said).toContain("help: x.flatten(1) (or x.view(x.size(0), -1)) to keep the batch dimension; fc1: nn.Linear(8 * 7 * 7, 32) (or nn.LazyLinear(32))");
    expect(git(project, "rev-parse", "--verify", "-q", "HEAD").status, "nothing was committed").not.toBe(0);

    writeFileSync(join(project, "net.py"), article.replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,32,32"));
    expect(git(project, "add", "net.py").status).toBe(0);
    const accepted = run("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-m", "a model at 32 x 32"], project, hookEnv, 120_000);
    expect(accepted.status, `${accepted.stdout}\n${accepted.stderr}`).toBe(0);
    expect(`${accepted.stdout}\n${accepted.stderr}`).toMatch(/torchshape\.+Passed/);
    expect(git(project, "log", "--format=%s").stdout.trim()).toBe("a model at 32 x 32");

    const notebookAt28 = articleNotebook.replace("torch.randn(4, 3, 32, 32)", "torch.randn(4, 3, 28, 28)");
    expect(notebookAt28).not.toBe(articleNotebook);
    writeFileSync(join(project, "net.ipynb"), notebookAt28);
    expect(git(project, "add", "net.ipynb").status).toBe(0);
    const notebookRefused = run("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", "commit", "-m", "a notebook at 28 x 28"], project, hookEnv, 120_000);
    const notebookSaid = `${notebookRefused.stdout}\n${notebookRefused.stderr}`;
    expect(notebookRefused.status, notebookSaid).toBe(1);
    expect(notebookSaid).toMatch(/^net\.ipynb:cell 2:17:13: error\[view-size\] /m);
    expect(git(project, "log", "--format=%s").stdout.trim()).toBe("a model at 32 x 32");
  }, 1_200_000);
});
