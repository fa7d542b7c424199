--- Builds the `vim.lsp.config` table for the shipready language server from the user's options.
---
--- Kept free of side effects so that `lsp/shipready.lua` (plain `vim.lsp.enable("shipready")`), `setup()` and
--- the unit tests all share one definition of what the server is started with.
local M = {}

--- Filetypes whose buffers the server reads: Dockerfiles, compose files, guides, Python apps and CDK stacks,
--- and `cdk.json`. `yaml.docker-compose` is what some filetype plugins give compose files.
M.filetypes = { "dockerfile", "yaml", "yaml.docker-compose", "markdown", "python", "json" }

--- Files that mark a deployable workspace's root; the nearest directory holding any of them wins.
M.root_markers = {
  ".git",
  "cdk.json",
  "compose.yaml",
  "compose.yml",
  "docker-compose.yml",
  "docker-compose.yaml",
  "Dockerfile",
}

--- Options `setup()` accepts, with their defaults.
M.defaults = {
  --- The command that starts the server.
  cmd = { "shipready", "lsp" },
  --- "seed" (the five original categories) or "standard".
  profile = nil,
  --- Rule code or name -> "error" | "warning" | "information" | "hint" | "off".
  severities = nil,
  filetypes = nil,
  root_markers = nil,
  --- Show the server's code lenses (the score at the top of the guide, Dockerfiles and the main app file).
  codelens = true,
  --- Extra fields merged into the `vim.lsp.config` table (on_attach, capabilities, ...).
  lsp = nil,
}

--- The server's `initializationOptions` / settings object for the given options.
--- @param opts table
--- @return table
function M.server_options(opts)
  local out = {}
  if opts.profile ~= nil then
    out.profile = opts.profile
  end
  if opts.severities ~= nil and next(opts.severities) ~= nil then
    out.severities = opts.severities
  end
  return out
end

--- Checks the options and fills in defaults; returns the merged options or raises an error naming the bad field.
--- @param opts table|nil
--- @return table
function M.resolve(opts)
  opts = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  if type(opts.cmd) == "string" then
    opts.cmd = { opts.cmd, "lsp" }
  end
  vim.validate("cmd", opts.cmd, { "table", "function" })
  vim.validate("profile", opts.profile, function(v)
    return v == nil or v == "seed" or v == "standard"
  end, true, "'seed' or 'standard'")
  vim.validate("severities", opts.severities, "table", true)
  vim.validate("filetypes", opts.filetypes, "table", true)
  vim.validate("root_markers", opts.root_markers, "table", true)
  vim.validate("lsp", opts.lsp, "table", true)
  vim.validate("codelens", opts.codelens, "boolean")
  return opts
end

--- The table given to `vim.lsp.config("shipready", ...)`.
--- @param opts table|nil user options (see `M.defaults`)
--- @return vim.lsp.Config
function M.lsp_config(opts)
  opts = M.resolve(opts)
  local server_opts = M.server_options(opts)
  local cfg = {
    cmd = opts.cmd,
    filetypes = opts.filetypes or vim.deepcopy(M.filetypes),
    root_markers = opts.root_markers or vim.deepcopy(M.root_markers),
    init_options = server_opts,
    handlers = {
      ["shipready/score"] = function(_, result, ctx)
        require("shipready.status").update(ctx.client_id, result)
      end,
    },
    on_exit = function(_, _, client_id)
      require("shipready.status").clear(client_id)
    end,
  }
  -- Neovim sends non-empty `settings` in `workspace/didChangeConfiguration` right after initialize, and the server
  -- takes them as the whole configuration: an empty object there would reset `init_options` given through
  -- `vim.lsp.config` on top of lsp/shipready.lua.
  if next(server_opts) ~= nil then
    cfg.settings = { shipready = server_opts }
  end
  return vim.tbl_deep_extend("force", cfg, opts.lsp or {})
end

return M
