--- `:Shipready report`: asks the server for the readiness report (`shipready.report`) and shows the score, a bar
--- per category and the gaps in a floating window; a workspace of several deployable units gets a section per
--- unit (its score, bars and gaps), and the files set aside as not production are listed. `format` is pure so it
--- is unit-tested without a server.
local M = {}

local BAR_WIDTH = 20
local severity_order = { CRITICAL = 1, HIGH = 2, MEDIUM = 3, LOW = 4 }

--- A bar of `width` cells filled in proportion to `score` (0-100).
--- @param score number|nil
--- @param width integer|nil
--- @return string
function M.bar(score, width)
  width = width or BAR_WIDTH
  if type(score) ~= "number" then
    return string.rep("·", width)
  end
  local filled = math.floor(math.max(0, math.min(100, score)) / 100 * width + 0.5)
  return string.rep("█", filled) .. string.rep("░", width - filled)
end

--- "backend/main.py:4:1", or the file alone, or "(workspace)" for a gap with no natural place.
--- @param finding table
--- @return string
function M.location(finding)
  if type(finding.file) ~= "string" then
    return "(workspace)"
  end
  local range = type(finding.range) == "table" and finding.range or nil
  if range and type(range.start) == "table" then
    return string.format("%s:%d:%d", finding.file, range.start.line or 1, range.start.column or 1)
  end
  return finding.file
end

--- Findings sorted by severity, then points (largest first), then code.
--- @param findings table[]
--- @return table[]
function M.sorted_findings(findings)
  local out = vim.list_extend({}, findings or {})
  table.sort(out, function(a, b)
    local sa, sb = severity_order[a.severity] or 9, severity_order[b.severity] or 9
    if sa ~= sb then
      return sa < sb
    end
    local pa, pb = tonumber(a.points) or 0, tonumber(b.points) or 0
    if pa ~= pb then
      return pa > pb
    end
    return (a.code or "") < (b.code or "")
  end)
  return out
end

--- Appends a bar and a figure per category, titles aligned.
--- @param lines string[]
--- @param categories table[]|nil
local function add_categories(lines, categories)
  categories = categories or {}
  local title_width = 0
  for _, c in ipairs(categories) do
    title_width = math.max(title_width, vim.fn.strdisplaywidth(c.title or c.id or ""))
  end
  for _, c in ipairs(categories) do
    local title = c.title or c.id or "?"
    local pad = string.rep(" ", title_width - vim.fn.strdisplaywidth(title))
    local score = tonumber(c.score)
    local figure = score and string.format("%6.2f", score) or "   n/a"
    table.insert(lines, string.format("  %s%s  %s %s", title, pad, M.bar(score), figure))
  end
end

--- Appends "Gaps (n)" and the gaps, costliest first, recording which line shows which gap.
--- @param lines string[]
--- @param gaps table<integer, table>
--- @param findings table[]|nil
local function add_gaps(lines, gaps, findings)
  findings = M.sorted_findings(findings)
  if #findings == 0 then
    table.insert(lines, "No gaps: nothing to fix.")
    return
  end
  table.insert(lines, string.format("Gaps (%d)", #findings))
  for _, f in ipairs(findings) do
    local points = tonumber(f.points)
    local worth = points and string.format("+%.2f", points) or ""
    table.insert(
      lines,
      string.format("  %-8s %s %s  %s", f.severity or "", f.code or "?", M.location(f), worth)
    )
    gaps[#lines] = f
    local message = type(f.message) == "string" and f.message:gsub("%s+", " ") or ""
    if message ~= "" then
      table.insert(lines, "      " .. message)
      gaps[#lines] = f
    end
  end
end

--- The report's deployable units when it has several (the server scores units separately only then), else nil: a
--- workspace of one unit reads as it did before units existed.
--- @param report table
--- @return table[]|nil
function M.units(report)
  local units = type(report.units) == "table" and report.units or {}
  return #units > 1 and units or nil
end

--- "api (image)", or the name alone when the unit has no kinds.
--- @param unit table
--- @return string
function M.unit_label(unit)
  local name = type(unit.name) == "string" and unit.name or (unit.root ~= "" and unit.root) or "."
  local kinds = type(unit.kinds) == "table" and unit.kinds or {}
  if #kinds == 0 then
    return name
  end
  return name .. " (" .. table.concat(kinds, ", ") .. ")"
end

--- "Readiness 86.00/100 - Production Ready", or "Readiness: no score".
local function headline(overall, band)
  overall = tonumber(overall)
  local text = overall and string.format("Readiness %.2f/100", overall) or "Readiness: no score"
  if type(band) == "string" and band ~= "" then
    text = text .. " - " .. band
  end
  return text
end

--- The report as text lines plus, for the lines that show a gap (or a set-aside file), what `<CR>` opens there,
--- and the lines that head a section (highlighted as titles).
--- @param report table the `shipready.report` result
--- @return string[] lines, table<integer, table> gaps (1-based line -> finding), integer[] headings (1-based)
function M.format(report)
  local lines, gaps, headings = {}, {}, { 1 }
  local header = headline(report.overall, report.band)
  if type(report.profile) == "string" then
    header = header .. "  (profile: " .. report.profile .. ")"
  end
  table.insert(lines, header)

  local units = M.units(report)
  if not units then
    table.insert(lines, "")
    add_categories(lines, report.categories)
    table.insert(lines, "")
    add_gaps(lines, gaps, report.findings)
  else
    table.insert(lines, string.format("The mean of %d deployable units", #units))
    table.insert(lines, "")
    table.insert(lines, string.format("Units (%d)", #units))
    table.insert(headings, #lines)
    local label_width = 0
    for _, u in ipairs(units) do
      label_width = math.max(label_width, vim.fn.strdisplaywidth(M.unit_label(u)))
    end
    for _, u in ipairs(units) do
      local label = M.unit_label(u)
      local pad = string.rep(" ", label_width - vim.fn.strdisplaywidth(label))
      local score = tonumber(u.overall)
      local figure = score and string.format("%6.2f", score) or "   n/a"
      local count = type(u.findings) == "table" and #u.findings or 0
      table.insert(
        lines,
        string.format("  %s%s  %s %s  %s, %d gap%s", label, pad, M.bar(score), figure, u.band or "", count, count == 1 and "" or "s")
      )
    end
    for _, u in ipairs(units) do
      table.insert(lines, "")
      table.insert(lines, "Unit " .. M.unit_label(u) .. ": " .. headline(u.overall, u.band))
      table.insert(headings, #lines)
      add_categories(lines, u.categories)
      add_gaps(lines, gaps, u.findings)
    end
  end

  local set_aside = type(report.set_aside) == "table" and report.set_aside or {}
  if #set_aside > 0 then
    table.insert(lines, "")
    table.insert(lines, string.format("Set aside, not production (%d file%s)", #set_aside, #set_aside == 1 and "" or "s"))
    table.insert(headings, #lines)
    for _, entry in ipairs(set_aside) do
      local reason = type(entry.reason) == "string" and entry.reason or entry.role or ""
      table.insert(lines, "  " .. tostring(entry.path or "?") .. (reason ~= "" and (": " .. reason) or ""))
      if type(entry.path) == "string" then
        gaps[#lines] = { file = entry.path }
      end
    end
  end

  if next(gaps) ~= nil then
    table.insert(lines, "")
    table.insert(lines, "<CR> open the gap's file   q close")
  end
  return lines, gaps, headings
end

--- The window the last report was shown in (for tests and for closing it again).
M.win = nil

--- Opens the file and position of a gap (from the float) in the previous window.
--- @param root string|nil workspace root the report's paths are relative to
--- @param finding table
function M.jump(root, finding)
  if type(finding.file) ~= "string" then
    return
  end
  local path = finding.file
  if root and not vim.startswith(path, "/") then
    path = vim.fs.joinpath(root, path)
  end
  if M.win and vim.api.nvim_win_is_valid(M.win) then
    vim.api.nvim_win_close(M.win, true)
  end
  vim.cmd.edit(vim.fn.fnameescape(path))
  local range = type(finding.range) == "table" and finding.range or nil
  if range and type(range.start) == "table" then
    local line = math.max(1, math.min(range.start.line or 1, vim.api.nvim_buf_line_count(0)))
    pcall(vim.api.nvim_win_set_cursor, 0, { line, math.max(0, (range.start.column or 1) - 1) })
  end
end

--- Shows a report in a centred floating window; returns its window id.
--- @param report table
--- @return integer
function M.show(report)
  local lines, gaps, headings = M.format(report)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].filetype = "shipready-report"

  local width = 0
  for _, l in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(l))
  end
  width = math.min(width + 2, math.max(20, vim.o.columns - 4))
  local height = math.min(#lines, math.max(3, vim.o.lines - 4))
  local win = vim.api.nvim_open_win(buf, true, {
    relative = "editor",
    width = width,
    height = height,
    row = math.floor((vim.o.lines - height) / 2) - 1,
    col = math.floor((vim.o.columns - width) / 2),
    style = "minimal",
    border = "rounded",
    title = " shipready ",
    title_pos = "center",
  })
  vim.wo[win].wrap = false
  vim.wo[win].cursorline = true
  M.win = win

  local ns = vim.api.nvim_create_namespace("shipready.report")
  for _, lnum in ipairs(headings) do
    vim.hl.range(buf, ns, "Title", { lnum - 1, 0 }, { lnum - 1, -1 })
  end
  for lnum, f in pairs(gaps) do
    -- Set-aside files open on <CR> too, but have no severity to colour.
    if f.severity ~= nil then
      local group = (f.severity == "CRITICAL" or f.severity == "HIGH") and "DiagnosticError"
        or f.severity == "MEDIUM" and "DiagnosticWarn"
        or "DiagnosticInfo"
      vim.hl.range(buf, ns, group, { lnum - 1, 2 }, { lnum - 1, 10 })
    end
  end

  local close = function()
    if vim.api.nvim_win_is_valid(win) then
      vim.api.nvim_win_close(win, true)
    end
  end
  vim.keymap.set("n", "q", close, { buffer = buf, nowait = true, desc = "Close the readiness report" })
  vim.keymap.set("n", "<Esc>", close, { buffer = buf, nowait = true, desc = "Close the readiness report" })
  vim.keymap.set("n", "<CR>", function()
    local f = gaps[vim.api.nvim_win_get_cursor(0)[1]]
    if f then
      M.jump(report.root, f)
    end
  end, { buffer = buf, desc = "Open the gap's file" })
  return win
end

--- Requests the report from a shipready client and shows it; `callback(err, report, win)` is called after.
--- The argument names the workspace folder: the server reports on the folder holding `uri` (a file or folder).
--- @param client vim.lsp.Client
--- @param uri string|nil
--- @param callback fun(err: any, report: table|nil, win: integer|nil)|nil
function M.request(client, uri, callback)
  callback = callback or function() end
  local arguments = uri and { uri } or {}
  client:request("workspace/executeCommand", { command = "shipready.report", arguments = arguments }, function(err, result)
    if err or type(result) ~= "table" then
      local msg = err and (err.message or vim.inspect(err)) or "the server returned no report"
      vim.notify("shipready: report failed: " .. msg, vim.log.levels.ERROR)
      callback(err or msg, nil, nil)
      return
    end
    callback(nil, result, M.show(result))
  end)
end

return M
