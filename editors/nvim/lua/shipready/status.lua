--- The readiness score the server last announced (`shipready/score`), per client, and its statusline text.
local M = {}

--- client id -> root path (or "" when the notification names none) -> { overall, band, categories, root, unit }.
--- A workspace folder's score is keyed by the folder; in a folder of several deployable units, each unit's score
--- (which has `unit`, its name) is keyed by the unit's folder, so the deepest root holding a file is its unit's.
M.scores = {}

--- Short band names for narrow statuslines.
local short_bands = {
  ["Production Ready"] = "ready",
  ["Almost Ready"] = "almost",
  ["Significant Work Required"] = "work",
}

--- The local path of a notification's `root` URI, or "".
--- @param score table
--- @return string
function M.root_path(score)
  if type(score.root) ~= "string" then
    return ""
  end
  local ok, path = pcall(vim.uri_to_fname, score.root)
  return ok and vim.fs.normalize(path) or ""
end

--- Records a `shipready/score` notification (one per workspace folder, and one per deployable unit of a folder
--- that holds several) and asks Neovim to redraw statuslines.
--- @param client_id integer
--- @param score table|nil { root, unit, overall, band, categories }
function M.update(client_id, score)
  if type(score) ~= "table" or type(score.overall) ~= "number" then
    return
  end
  M.scores[client_id] = M.scores[client_id] or {}
  M.scores[client_id][M.root_path(score)] = score
  vim.schedule(function()
    vim.cmd("redrawstatus!")
    require("shipready.codelens").refresh_all()
    vim.api.nvim_exec_autocmds("User", { pattern = "ShipreadyScore", data = { client_id = client_id, score = score } })
  end)
end

--- Forgets a client's score when it exits.
--- @param client_id integer
function M.clear(client_id)
  M.scores[client_id] = nil
end

--- Formats a score for a statusline: "Readiness 86.0 Production Ready", or "Readiness 86.0 ready" when short; a
--- deployable unit's score ends with its name: "Readiness 18.8 Significant Work Required · api".
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
  if type(score.unit) == "string" and score.unit ~= "" then
    text = text .. " · " .. score.unit
  end
  return text
end

--- Of one client's scores, the one whose root holds `path` (the deepest: a file's unit before its workspace
--- folder), else any.
--- @param by_root table<string, table>|nil
--- @param path string|nil
--- @return table|nil
function M.pick(by_root, path)
  if not by_root then
    return nil
  end
  local best, best_len, any = nil, -1, nil
  for root, score in pairs(by_root) do
    -- Outside every root, a workspace folder's score (the mean of its units) stands for the project, not a unit's.
    if any == nil or (any.unit ~= nil and score.unit == nil) then
      any = score
    end
    local inside = root == "" or (path and (path == root or vim.startswith(path, root .. "/")))
    if inside and #root > best_len then
      best, best_len = score, #root
    end
  end
  return best or any
end

--- The score for a buffer: from its attached shipready client for the workspace folder holding the file, else
--- from any client (so the statusline of a non-workspace buffer still shows the project's score).
--- @param bufnr integer|nil
--- @return table|nil
function M.score_for(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_is_valid(bufnr) and vim.fs.normalize(vim.api.nvim_buf_get_name(bufnr)) or nil
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready", bufnr = bufnr })) do
    local score = M.pick(M.scores[client.id], path)
    if score then
      return score
    end
  end
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready" })) do
    local score = M.pick(M.scores[client.id], path)
    if score then
      return score
    end
  end
  return nil
end

return M
