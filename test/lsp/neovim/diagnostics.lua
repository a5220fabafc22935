-- Neovim's built-in LSP client against `torchshape lsp` (test/lsp/neovim.test.ts).
-- Opens TORCHSHAPE_NVIM_FILE, waits for its diagnostics, asks for a hover at
-- TORCHSHAPE_NVIM_HOVER ("line,character", 0-based), writes all of it as JSON to
-- TORCHSHAPE_NVIM_OUT and quits. Every wait is bounded; any failure is written too.
local out_path = os.getenv("TORCHSHAPE_NVIM_OUT")
local file = os.getenv("TORCHSHAPE_NVIM_FILE")
local cmd = vim.fn.json_decode(os.getenv("TORCHSHAPE_NVIM_CMD"))
local timeout_ms = tonumber(os.getenv("TORCHSHAPE_NVIM_TIMEOUT_MS") or "20000")
local hover_line, hover_char = string.match(os.getenv("TORCHSHAPE_NVIM_HOVER") or "", "(%d+),(%d+)")

local function write_and_quit(result)
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

local function diagnostic_records(bufnr)
  local records = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(records, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      source = d.source,
      message = d.message,
      code = d.code or lsp.code,
    })
  end
  return records
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local config = { name = "torchshape", cmd = cmd, root_dir = vim.fn.fnamemodify(file, ":p:h") }
  local client_id
  if vim.lsp.start then -- Neovim 0.8+
    client_id = vim.lsp.start(config)
  else -- Neovim 0.7 (Debian 12)
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  local got = vim.wait(timeout_ms, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  local hover = vim.NIL
  if hover_line then
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = tonumber(hover_line), character = tonumber(hover_char) } }
    local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, timeout_ms) or {}
    for _, response in pairs(responses) do
      if response.result then hover = response.result end
    end
  end
  local client = vim.lsp.get_client_by_id(client_id)
  write_and_quit({
    nvim = tostring(vim.version().major) .. "." .. tostring(vim.version().minor),
    diagnostics_arrived = got,
    diagnostics = diagnostic_records(bufnr),
    hover = hover,
    -- what the server answered to initialize, as the client keeps it
    inlay_hint_provider = client and client.server_capabilities and client.server_capabilities.inlayHintProvider or vim.NIL,
  })
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = pcall(run)
      if not ok then write_and_quit({ error = tostring(err) }) end
    end)
  end,
})
