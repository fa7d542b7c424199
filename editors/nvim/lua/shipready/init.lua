--- shipready for Neovim 0.11+: registers the `shipready lsp` language server with `vim.lsp.config`/`vim.lsp.enable`
--- and adds `:Shipready report|fixall|restart`, a statusline function and `:checkhealth shipready`.
---
--- ```lua
--- require("shipready").setup({ profile = "standard", severities = { HC003 = "error" } })
--- vim.o.statusline = "%f %= %{v:lua.require'shipready'.status()}"
--- ```
local config = require("shipready.config")

local M = {}

--- The options `setup()` was last called with (resolved), for `:checkhealth`.
M.options = nil

--- Registers and enables the server. Safe to call again: the new options replace the old.
--- @param opts table|nil see `require("shipready.config").defaults`
function M.setup(opts)
  M.options = config.resolve(opts)
  vim.g.shipready_codelens = M.options.codelens
  vim.lsp.config("shipready", config.lsp_config(opts))
  vim.lsp.enable("shipready")
end

--- The plain config table, for `vim.lsp.config("shipready", require("shipready").lsp_config())` or
--- nvim-lspconfig-style setups that want to tweak it first.
--- @param opts table|nil
--- @return vim.lsp.Config
function M.lsp_config(opts)
  return config.lsp_config(opts)
end

--- Statusline text: "Readiness 86.0 Production Ready", or "" before the server has scored the workspace.
--- @param opts table|nil { short = boolean, prefix = string, bufnr = integer }
--- @return string
function M.status(opts)
  opts = opts or {}
  local status = require("shipready.status")
  return status.format(status.score_for(opts.bufnr), opts)
end

--- The shipready client for a buffer (else any running one), or nil.
--- @param bufnr integer|nil
--- @return vim.lsp.Client|nil
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  return vim.lsp.get_clients({ name = "shipready", bufnr = bufnr })[1] or vim.lsp.get_clients({ name = "shipready" })[1]
end

local function no_client()
  vim.notify(
    "shipready: no server running. Open a Dockerfile, compose file, guide or Python file in a workspace "
      .. "(see :checkhealth shipready).",
    vim.log.levels.WARN
  )
end

--- Shows the readiness report in a floating window. `callback(err, report, win)` runs once it is shown.
--- @param callback fun(err: any, report: table|nil, win: integer|nil)|nil
function M.report(callback)
  local client = M.client()
  if not client then
    no_client()
    if callback then
      callback("no client", nil, nil)
    end
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local uri
  if vim.lsp.buf_is_attached(bufnr, client.id) then
    uri = vim.uri_from_bufnr(bufnr)
  elseif client.root_dir then
    uri = vim.uri_from_fname(client.root_dir)
  end
  require("shipready.report").request(client, uri, callback)
end

--- Applies `source.fixAll.shipready` to a buffer. `callback(err, applied)` runs after the edits are applied.
--- @param bufnr integer|nil
--- @param callback fun(err: any, applied: boolean)|nil
function M.fixall(bufnr, callback)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ name = "shipready", bufnr = bufnr })[1]
  if not client then
    no_client()
    if callback then
      callback("no client", false)
    end
    return
  end
  require("shipready.fix").fix_all(client, bufnr, callback)
end

--- Stops the shipready clients and starts them again on the buffers they served. Waits for the old clients to
--- exit first: a client that is only closing would otherwise be reused for the buffers.
function M.restart()
  local ids = {}
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready" })) do
    table.insert(ids, client.id)
    client:stop()
  end
  local function all_gone()
    for _, id in ipairs(ids) do
      if vim.lsp.get_client_by_id(id) then
        return false
      end
    end
    return true
  end
  if not vim.wait(2000, all_gone, 20) then
    -- The server did not exit after `shutdown`/`exit`. `client:stop(true)` does nothing once a stop is under
    -- way, so end the process through the RPC client.
    for _, id in ipairs(ids) do
      local client = vim.lsp.get_client_by_id(id)
      if client and client.rpc and client.rpc.terminate then
        client.rpc.terminate()
      end
    end
    vim.wait(2000, all_gone, 20)
  end
  vim.lsp.enable("shipready")
end

--- `:Shipready <subcommand>` dispatch.
M.commands = {
  report = function()
    M.report()
  end,
  fixall = function()
    M.fixall()
  end,
  restart = function()
    M.restart()
  end,
}

--- @param args string
function M.command(args)
  local name = vim.trim(args or "")
  if name == "" then
    name = "report"
  end
  local fn = M.commands[name]
  if not fn then
    vim.notify("shipready: unknown subcommand '" .. name .. "' (report, fixall, restart)", vim.log.levels.ERROR)
    return
  end
  fn()
end

return M
