--- End-to-end test of deployable units: the real `shipready lsp` on a copy of `tests/fixtures/units-two` (an API
--- image in api/, a CDK app in billing/, a CLI image in tools/reportgen/, plus a dev container and an archived
--- image set aside), made a git checkout so the whole repository is one workspace. The statusline shows the score
--- of the unit of the current buffer, follows an edit in one unit only, and the report has a section per unit and
--- the set-aside files. Expected numbers come from `shipready check` on the same copy.
local H = require("harness")
local E = require("e2e_helpers")

vim.lsp.log.set_level(vim.log.levels.WARN)
local root = E.workspace()
-- A git checkout: the repository's top is the workspace root although api/ has a Dockerfile of its own.
vim.fn.mkdir(root .. "/.git", "p")
require("shipready").setup({ cmd = { E.bin, "lsp" }, profile = "standard" })
vim.o.statusline = "%{v:lua.require'shipready'.status()}"

local checked = vim.system({ E.bin, "check", root, "--format", "json", "--profile", "standard" }, { text = true }):wait()
assert(checked.stdout ~= nil and checked.stdout ~= "", "shipready check printed nothing: " .. tostring(checked.stderr))
local expected = vim.json.decode(checked.stdout)
local units = {}
for _, u in ipairs(expected.units) do
  units[u.name] = u
end
assert(units.api and units.billing and units["tools/reportgen"], "units-two has the units api, billing, tools/reportgen")

local status = require("shipready.status")
local state = {}

--- The statusline of the current window with `bufnr` in it, as Neovim draws it.
local function statusline(bufnr)
  vim.api.nvim_set_current_buf(bufnr)
  return vim.api.nvim_eval_statusline(vim.o.statusline, { winid = vim.api.nvim_get_current_win() }).str
end

--- "Readiness 18.8 Significant Work Required · api": what the statusline must read for a unit (or the workspace).
local function text_of(score, unit)
  return status.format({ overall = score.overall, band = score.band, unit = unit })
end

H.test("files of two units share one server rooted at the repository", function()
  state.api = E.open(root, "api/app/main.py")
  local api = E.client(state.api)
  H.eq(root, api.root_dir, "the .git, not api/Dockerfile, decides the root")
  E.wait_codes(state.api, { "HC001" })
  state.billing = E.open(root, "billing/app.py")
  H.eq(api.id, E.client(state.billing).id, "one server for the whole repository")
  E.wait_codes(state.billing, { "CD003" })
end)

H.test("the statusline shows the score of the current buffer's unit", function()
  local want_api, want_billing = text_of(units.api, "api"), text_of(units.billing, "billing")
  H.ok(
    want_api:match("^Readiness %d+%.%d [%a ]+ · api$") ~= nil,
    "the fixture's api unit (from shipready check) reads like 'Readiness 28.3 Significant Work Required · api': " .. want_api
  )
  H.ok(want_api ~= want_billing, "the two units score differently")
  H.wait(15000, function()
    return statusline(state.api) == want_api and statusline(state.billing) == want_billing
  end, string.format("api: '%s', billing: '%s' (now '%s' and '%s')", want_api, want_billing, statusline(state.api), statusline(state.billing)))
  -- Switching back and forth between the buffers switches the text.
  H.eq(want_api, statusline(state.api))
  H.eq(want_billing, statusline(state.billing))
  H.eq(want_api, require("shipready").status({ bufnr = state.api }))
end)

H.test("a file of no unit shows the workspace's score, the mean of the units", function()
  state.readme = E.open(root, "README.md")
  E.client(state.readme)
  local want = text_of(expected, nil)
  H.ok(want:match("^Readiness %d+%.%d [%a ]+$") ~= nil, "the workspace's score reads like 'Readiness 45.2 Significant Work Required': " .. want)
  H.wait(10000, function()
    return statusline(state.readme) == want
  end, "the workspace score on README.md (now '" .. statusline(state.readme) .. "')")
end)

H.test(":Shipready report shows a section per unit and the set-aside files", function()
  vim.api.nvim_set_current_buf(state.api)
  local report = require("shipready.report")
  report.win = nil
  vim.cmd("Shipready report")
  local win = H.wait(10000, function()
    return report.win and vim.api.nvim_win_is_valid(report.win) and report.win or nil
  end, "the report float")
  local text = E.buffer_text(vim.api.nvim_win_get_buf(win))
  H.contains(text, string.format("Readiness %.2f/100 - %s", expected.overall, expected.band))
  H.contains(text, "Units (3)")
  for _, name in ipairs({ "api", "billing", "tools/reportgen" }) do
    local u = units[name]
    H.contains(text, string.format("Unit %s (%s): Readiness %.2f/100 - %s", name, table.concat(u.kinds, ", "), u.overall, u.band))
  end
  H.contains(text, "HC001 api/app/main.py:")
  H.contains(text, "CD003 billing/app.py:")
  H.contains(text, string.format("Set aside, not production (%d files)", #expected.set_aside))
  H.ok(#expected.set_aside >= 2, "the dev container and the archived image are set aside")
  for _, entry in ipairs(expected.set_aside) do
    H.contains(text, "  " .. entry.path .. ": " .. entry.reason)
  end
  vim.api.nvim_win_close(win, true)
end)

H.test("an edit in one unit moves that unit's statusline, not the other's", function()
  local before_api, before_billing = statusline(state.api), statusline(state.billing)
  vim.api.nvim_set_current_buf(state.api)
  vim.api.nvim_buf_set_lines(state.api, -1, -1, false, {
    "",
    "",
    '@app.get("/health")',
    "async def health() -> dict[str, str]:",
    '    return {"status": "ok"}',
  })
  H.wait(15000, function()
    return E.diagnostics(state.api).HC001 == nil
  end, "HC001 to clear after adding a health route")
  H.wait(15000, function()
    local now = statusline(state.api)
    return now ~= before_api and now:find("· api$") ~= nil
  end, "the api unit's statusline to change (still '" .. statusline(state.api) .. "')")
  H.eq(before_billing, statusline(state.billing), "billing's score did not move")
end)

H.run(90000, { bail = true })
