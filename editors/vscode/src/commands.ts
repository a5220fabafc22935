// The extension's commands, one entry each (their titles are in package.json's
// contributes.commands). "torchshape: Show Graph" belongs here when `torchshape graph` lands.
import * as vscode from "vscode";
import { showSummary } from "./summaryCommand.js";

export function registerCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [vscode.commands.registerCommand("torchshape.showSummary", () => showSummary(context))];
}
