--- `:checkhealth shipready`: the Neovim version, the server binary and its version, the configuration the server is
--- started with, and the state of each running shipready client.
local M = {}

--- The command the server is started with, from `vim.lsp.config` (setup() or lsp/shipready.lua), else the default.
--- @return string[]|function|nil cmd, string source
function M.configured_cmd()
  local ok, cfg = pcall(function()
    return vim.lsp.config.shipready
  end)
  if ok and type(cfg) == "table" and cfg.cmd then
    return cfg.cmd, "vim.lsp.config"
  end
  return require("shipready.config").defaults.cmd, "default"
end

--- Runs `<binary> --version` and returns its first line, or nil and an error message.
--- @param binary string
--- @return string|nil version, string|nil err
function M.binary_version(binary)
  local ok, proc = pcall(vim.system, { binary, "--version" }, { text = true })
  if not ok then
    return nil, tostring(proc)
  end
  local res = proc:wait(5000)
  if res.code ~= 0 then
    return nil, string.format("exit code %s: %s", tostring(res.code), vim.trim(res.stderr or ""))
  end
  return vim.trim((res.stdout or ""):match("[^\n]*") or ""), nil
end

local function check_neovim()
  vim.health.start("shipready: Neovim")
  if vim.fn.has("nvim-0.11") == 1 and vim.lsp.config ~= nil then
    vim.health.ok("Neovim " .. tostring(vim.version()) .. " has vim.lsp.config and vim.lsp.enable")
  else
    vim.health.error("Neovim 0.11 or newer is required (vim.lsp.config)", { "Upgrade Neovim" })
  end
end

local function check_binary()
  vim.health.start("shipready: server binary")
  local cmd, source = M.configured_cmd()
  if type(cmd) == "function" then
    vim.health.info("cmd is a function (" .. source .. "): the binary cannot be checked here")
    return
  end
  if type(cmd) ~= "table" or type(cmd[1]) ~= "string" then
    vim.health.error("cmd is not a list of strings: " .. vim.inspect(cmd))
    return
  end
  vim.health.info("cmd (" .. source .. "): " .. table.concat(cmd, " "))
  local path = vim.fn.exepath(cmd[1])
  if path == "" then
    vim.health.error("`" .. cmd[1] .. "` was not found or is not executable", {
      "Install it: cargo install --path crates/shipready (from the shipready repository)",
      "Or point the plugin at it: require('shipready').setup({ cmd = { '/path/to/shipready', 'lsp' } })",
    })
    return
  end
  vim.health.ok("binary: " .. path)
  local version, err = M.binary_version(path)
  if version then
    vim.health.ok("version: " .. version)
  else
    vim.health.error("`" .. path .. " --version` failed: " .. tostring(err))
  end
end

local function check_clients()
  vim.health.start("shipready: server state")
  local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled("shipready")
  if enabled == false then
    vim.health.warn("the shipready config is not enabled", {
      "Call require('shipready').setup() or vim.lsp.enable('shipready') in your config",
    })
  elseif enabled then
    vim.health.ok("enabled with vim.lsp.enable")
  end
  local clients = vim.lsp.get_clients({ name = "shipready" })
  if #clients == 0 then
    vim.health.info("no shipready server is running: open a Dockerfile, compose file, guide or Python file")
    return
  end
  local status = require("shipready.status")
  for _, client in ipairs(clients) do
    local state = client:is_stopped() and "stopped" or (client.initialized and "running" or "starting")
    local buffers = vim.tbl_count(client.attached_buffers or {})
    local line = string.format(
      "client %d: %s, root %s, %d buffer(s), position encoding %s",
      client.id,
      state,
      client.root_dir or "(none)",
      buffers,
      client.offset_encoding or "?"
    )
    if state == "running" then
      vim.health.ok(line)
    else
      vim.health.warn(line)
    end
    local info = client.server_info
    if info and info.name then
      vim.health.info("server: " .. info.name .. " " .. (info.version or ""))
    end
    local scores = status.scores[client.id] or {}
    if next(scores) == nil then
      vim.health.info("score: not received yet (shipready/score)")
    end
    for root, score in pairs(scores) do
      vim.health.info("score: " .. status.format(score) .. (root ~= "" and (" (" .. root .. ")") or ""))
    end
  end
end

function M.check()
  check_neovim()
  check_binary()
  check_clients()
end

return M
