--- The readiness score the server last announced (`shipready/score`), per client, and its statusline text.
local M = {}

--- client id -> { overall = number, band = string, categories = table }
M.scores = {}

--- Short band names for narrow statuslines.
local short_bands = {
  ["Production Ready"] = "ready",
  ["Almost Ready"] = "almost",
  ["Significant Work Required"] = "work",
}

--- Records a `shipready/score` notification and asks Neovim to redraw statuslines.
--- @param client_id integer
--- @param score table|nil { overall, band, categories }
function M.update(client_id, score)
  if type(score) ~= "table" or type(score.overall) ~= "number" then
    return
  end
  M.scores[client_id] = score
  vim.schedule(function()
    vim.cmd("redrawstatus!")
    vim.api.nvim_exec_autocmds("User", { pattern = "ShipreadyScore", data = { client_id = client_id, score = score } })
  end)
end

--- Forgets a client's score when it exits.
--- @param client_id integer
function M.clear(client_id)
  M.scores[client_id] = nil
end

--- Formats a score for a statusline: "ready 86.0 Production Ready", or "ready 86.0 ready" when short.
--- @param score table|nil
--- @param opts table|nil { short = boolean, prefix = string }
--- @return string
function M.format(score, opts)
  opts = opts or {}
  if type(score) ~= "table" or type(score.overall) ~= "number" then
    return ""
  end
  local prefix = opts.prefix or "Readiness"
  local band = score.band or ""
  if opts.short then
    band = short_bands[band] or band
  end
  local text = string.format("%s %.1f", prefix, score.overall)
  if band ~= "" then
    text = text .. " " .. band
  end
  return text
end

--- The score for a buffer: its attached shipready client's, else any client's.
--- @param bufnr integer|nil
--- @return table|nil
function M.score_for(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready", bufnr = bufnr })) do
    if M.scores[client.id] then
      return M.scores[client.id]
    end
  end
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready" })) do
    if M.scores[client.id] then
      return M.scores[client.id]
    end
  end
  return nil
end

return M
