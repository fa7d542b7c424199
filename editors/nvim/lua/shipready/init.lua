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

--- Stops the shipready clients and starts them again on the buffers they served.
function M.restart()
  local clients = vim.lsp.get_clients({ name = "shipready" })
  for _, client in ipairs(clients) do
    client:stop()
  end
  vim.wait(3000, function()
    for _, client in ipairs(clients) do
      if not client:is_stopped() then
        return false
      end
    end
    return true
  end, 50)
  for _, client in ipairs(clients) do
    if not client:is_stopped() then
      client:stop(true)
    end
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
