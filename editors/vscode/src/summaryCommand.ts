// "torchshape: Show Summary of the Model Under the Cursor": the class the cursor is
// in (or the first one above it), summarised as markdown beside the editor. The language
// server answers (request torchshape/modelSummary) from the open document's analysis, so
// the settings (inputs per model, python, search paths, torch version) and unsaved text
// count as they do for the hints; without a running server the CLI summarises the saved file.
import { execFile } from "node:child_process";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { serverCli } from "./serverCli.js";

/** The server's answer (src/lsp/modelSummary.ts). */
interface ModelSummaryAnswer {
  readonly model?: string;
  readonly markdown: string;
}

/** The nearest `class Name(` at the top level at or above the cursor's line. */
export function classAbove(lines: readonly string[], line: number): string | undefined {
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const m = /^class\s+([A-Za-z_]\w*)/.exec(lines[i]);
    if (m) return m[1];
  }
  return undefined;
}

function runCli(context: vscode.ExtensionContext, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cli = serverCli(context);
  // the bundled CLI runs on VS Code's own Node (Electron as Node)
  const [command, argv, env] = cli.kind === "module" ? [process.execPath, [cli.path, ...args], { ...process.env, ELECTRON_RUN_AS_NODE: "1" }] : [cli.command, args, process.env];
  return new Promise((resolve) => execFile(command, argv, { env, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => resolve({ stdout, stderr })));
}

async function showMarkdown(content: string): Promise<void> {
  const shown = await vscode.workspace.openTextDocument({ language: "markdown", content });
  await vscode.window.showTextDocument(shown, vscode.ViewColumn.Beside, true);
}

/** The server's summary of the model at the cursor; undefined when no server answers for this document. */
async function serverSummary(client: LanguageClient | undefined, editor: vscode.TextEditor): Promise<ModelSummaryAnswer | undefined> {
  if (!client?.isRunning()) return undefined;
  const { line, character } = editor.selection.active;
  try {
    const answer = await client.sendRequest<ModelSummaryAnswer | null>("torchshape/modelSummary", { uri: client.code2ProtocolConverter.asUri(editor.document.uri), position: { line, character } });
    return answer ?? undefined;
  } catch {
    return undefined;
  }
}

export async function showSummary(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  // in a notebook the editor is a cell's; the file summarised is the notebook's
  const notebook = editor?.document.uri.scheme === "vscode-notebook-cell" ? vscode.window.activeNotebookEditor?.notebook : undefined;
  const file = notebook?.uri ?? editor?.document.uri;
  if (!editor || file?.scheme !== "file") {
    void vscode.window.showInformationMessage("torchshape: open a saved Python file or notebook to summarise its model.");
    return;
  }
  const answer = await serverSummary(client(), editor);
  if (answer) {
    await showMarkdown(answer.markdown);
    return;
  }
  const model = classAbove(editor.document.getText().split(/\r?\n/), editor.selection.active.line);
  if (notebook ? notebook.isDirty : editor.document.isDirty) await (notebook ?? editor.document).save();
  const config = vscode.workspace.getConfiguration("torchshape");
  const args = [file.fsPath, "--format", "markdown", ...(model ? ["--model", model] : [])];
  for (const p of config.get<string[]>("searchPaths") ?? []) args.push("--search-path", p);
  const python = config.get<string>("python");
  if (python) args.push("--python", python);
  const { stdout, stderr } = await runCli(context, args);
  await showMarkdown(stdout.trim() ? stdout : `torchshape could not summarise ${model ?? "this file"}:\n\n${stderr}`);
}
