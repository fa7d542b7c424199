--- `:Shipready fixall`: requests the `source.fixAll.shipready` code action for a buffer and applies it.
local M = {}

M.kind = "source.fixAll.shipready"

--- The buffer's shipready diagnostics in LSP form (Neovim keeps the original under `user_data.lsp`).
--- @param client vim.lsp.Client
--- @param bufnr integer
--- @return lsp.Diagnostic[]
function M.lsp_diagnostics(client, bufnr)
  local out = {}
  local ns = vim.lsp.diagnostic.get_namespace(client.id)
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = ns })) do
    if d.user_data and d.user_data.lsp then
      table.insert(out, d.user_data.lsp)
    end
  end
  return out
end

--- Picks the fix-all action from a `textDocument/codeAction` result: the first action whose kind is
--- `source.fixAll.shipready` (or a sub-kind of it), else nil. Bare `Command`s have no kind and are skipped.
--- @param actions (lsp.CodeAction|lsp.Command)[]|nil
--- @return lsp.CodeAction|nil
function M.pick(actions)
  for _, action in ipairs(actions or {}) do
    if type(action.kind) == "string" and (action.kind == M.kind or vim.startswith(action.kind, M.kind .. ".")) then
      return action
    end
  end
  return nil
end

--- Applies a code action's edit and then its command, resolving it first when the server left the edit out.
--- @param client vim.lsp.Client
--- @param action lsp.CodeAction
--- @param bufnr integer
--- @param callback fun(err: any, applied: boolean)
function M.apply(client, action, bufnr, callback)
  local function finish(a)
    if a.edit then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding)
    end
    if type(a.command) == "table" then
      client:exec_cmd(a.command, { bufnr = bufnr })
    end
    callback(nil, a.edit ~= nil or a.command ~= nil)
  end
  local can_resolve = vim.tbl_get(client.server_capabilities, "codeActionProvider", "resolveProvider")
  if not action.edit and can_resolve then
    client:request("codeAction/resolve", action, function(err, resolved)
      if err then
        callback(err, false)
        return
      end
      finish(resolved or action)
    end, bufnr)
    return
  end
  finish(action)
end

--- @param client vim.lsp.Client
--- @param bufnr integer
--- @param callback fun(err: any, applied: boolean)|nil
function M.fix_all(client, bufnr, callback)
  callback = callback or function(err, applied)
    if err then
      vim.notify("shipready: fix all failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif not applied then
      vim.notify("shipready: nothing to fix in this file", vim.log.levels.INFO)
    end
  end
  local last = math.max(0, vim.api.nvim_buf_line_count(bufnr) - 1)
  local last_text = vim.api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] or ""
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ["end"] = { line = last, character = vim.str_utfindex(last_text, client.offset_encoding) },
    },
    context = { only = { M.kind }, diagnostics = M.lsp_diagnostics(client, bufnr) },
  }
  client:request("textDocument/codeAction", params, function(err, actions)
    if err then
      callback(err, false)
      return
    end
    local action = M.pick(actions)
    if not action then
      callback(nil, false)
      return
    end
    M.apply(client, action, bufnr, callback)
  end, bufnr)
end

return M
