// The torch every golden and recorded PyTorch error was made with: Debian's
// python3-torch (torch.__version__ == '1.13.0a0'). Tests that compare with them
// model this version explicitly, so the torch of a developer's environment (or
// the default, the latest stable release) cannot change their results.
export const goldenTorchVersion = "1.13.0a0";
