// The extension's commands, one entry each (their titles are in package.json's
// contributes.commands).
import * as vscode from "vscode";
import { showGraph } from "./graphCommand.js";
import { showSummary } from "./summaryCommand.js";

export function registerCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [vscode.commands.registerCommand("torchshape.showSummary", () => showSummary(context)), vscode.commands.registerCommand("torchshape.showGraph", () => showGraph())];
}
