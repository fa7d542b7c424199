--- Unit tests of the plugin's own logic (config, statusline with deployable units' scores, report formatting with
--- units and set-aside files, fix-all selection, health checks), run in headless Neovim without a server.
local H = require("harness")
local config = require("shipready.config")
local status = require("shipready.status")
local report = require("shipready.report")
local fix = require("shipready.fix")

H.test("lsp_config: defaults start `shipready lsp` on the deployment filetypes and root markers", function()
  local cfg = config.lsp_config()
  H.eq({ "shipready", "lsp" }, cfg.cmd)
  for _, ft in ipairs({ "dockerfile", "yaml", "markdown", "python", "json" }) do
    H.ok(vim.tbl_contains(cfg.filetypes, ft), "filetype " .. ft)
  end
  for _, marker in ipairs({ ".git", "cdk.json", "compose.yaml", "docker-compose.yml", "Dockerfile" }) do
    H.ok(vim.tbl_contains(cfg.root_markers, marker), "root marker " .. marker)
  end
  H.eq({}, cfg.init_options)
  H.eq(nil, cfg.settings, "no settings that would reset init_options set with vim.lsp.config")
  H.ok(type(cfg.handlers["shipready/score"]) == "function", "score notification handler")
end)

H.test("lsp_config: profile and severities reach init_options and settings; a string cmd gets `lsp`", function()
  local cfg = config.lsp_config({ cmd = "/opt/shipready", profile = "standard", severities = { HC003 = "error" } })
  H.eq({ "/opt/shipready", "lsp" }, cfg.cmd)
  H.eq({ profile = "standard", severities = { HC003 = "error" } }, cfg.init_options)
  H.eq({ shipready = { profile = "standard", severities = { HC003 = "error" } } }, cfg.settings)
end)

H.test("lsp_config: empty severities are left out and extra lsp fields are merged", function()
  local on_attach = function() end
  local cfg = config.lsp_config({ profile = "seed", severities = {}, lsp = { on_attach = on_attach } })
  H.eq({ profile = "seed" }, cfg.init_options)
  H.ok(cfg.on_attach == on_attach, "on_attach merged")
end)

H.test("lsp_config: a bad profile is rejected with the field's name", function()
  H.raises(function()
    config.lsp_config({ profile = "strict" })
  end, "profile")
end)

H.test("lsp/shipready.lua on the runtimepath returns the default config", function()
  local files = vim.api.nvim_get_runtime_file("lsp/shipready.lua", false)
  H.eq(1, #files)
  local cfg = dofile(files[1])
  H.eq({ "shipready", "lsp" }, cfg.cmd)
  H.ok(vim.tbl_contains(cfg.root_markers, "cdk.json"))
end)

H.test("plugin/shipready.lua defines :Shipready with completion", function()
  H.eq(2, vim.fn.exists(":Shipready"))
  local names = vim.fn.getcompletion("Shipready ", "cmdline")
  table.sort(names)
  H.eq({ "fixall", "report", "restart" }, names)
end)

H.test("status.format: overall with one decimal and the band; short bands; empty without a score", function()
  local score = { overall = 86, band = "Production Ready", categories = {} }
  H.eq("Readiness 86.0 Production Ready", status.format(score))
  H.eq("SR 72.5 almost", status.format({ overall = 72.49, band = "Almost Ready" }, { short = true, prefix = "SR" }))
  H.eq("", status.format(nil))
  H.eq("", status.format({ band = "Almost Ready" }))
end)

H.test("status.update ignores malformed notifications and status() is empty without a client", function()
  status.update(9999, { overall = "high" })
  H.eq(nil, status.scores[9999])
  H.eq("", require("shipready").status())
end)

H.test("status.pick: the score of the deepest workspace folder holding the file, else any", function()
  local by_root = {
    ["/w/api"] = { overall = 70, root = "file:///w/api" },
    ["/w/api/worker"] = { overall = 40, root = "file:///w/api/worker" },
  }
  H.eq(40, status.pick(by_root, "/w/api/worker/main.py").overall)
  H.eq(70, status.pick(by_root, "/w/api/main.py").overall)
  H.eq(70, status.pick(by_root, "/w/api").overall)
  H.ok(status.pick(by_root, "/elsewhere/x.py") ~= nil, "falls back to any score")
  H.eq(nil, status.pick(nil, "/w/api/main.py"))
  H.eq("/w/api", status.root_path({ root = "file:///w/api" }))
  H.eq("", status.root_path({}))
end)

H.test("status.format: a deployable unit's score ends with the unit's name", function()
  local api = { overall = 18.75, band = "Significant Work Required", unit = "api", root = "file:///w/api" }
  H.eq("Readiness 18.8 Significant Work Required · api", status.format(api))
  H.eq("SR 18.8 work · api", status.format(api, { short = true, prefix = "SR" }))
  H.eq("Readiness 36.4 Significant Work Required", status.format({ overall = 36.41, band = "Significant Work Required" }))
end)

H.test("status.update keeps a folder's score and each unit's side by side, keyed by their folders", function()
  local id = 4242
  status.update(id, { root = "file:///w", overall = 36.41, band = "Significant Work Required", categories = {} })
  status.update(id, { root = "file:///w/api", unit = "api", overall = 18.75, band = "Significant Work Required" })
  status.update(id, { root = "file:///w/billing", unit = "billing", overall = 23.81, band = "Significant Work Required" })
  status.update(id, { root = "file:///w/tools/reportgen", unit = "tools/reportgen", overall = 66.67, band = "Almost Ready" })
  local by_root = status.scores[id]
  H.eq({ "/w", "/w/api", "/w/billing", "/w/tools/reportgen" }, vim.fn.sort(vim.tbl_keys(by_root)))
  -- A file's unit is the deepest root holding it; a file of no unit gets the folder's score, the mean.
  H.eq("api", status.pick(by_root, "/w/api/app/main.py").unit)
  H.eq("billing", status.pick(by_root, "/w/billing/app.py").unit)
  H.eq("tools/reportgen", status.pick(by_root, "/w/tools/reportgen/Dockerfile").unit)
  H.eq(36.41, status.pick(by_root, "/w/README.md").overall)
  H.eq(36.41, status.pick(by_root, "/w/apiary/x.py").overall, "a sibling folder sharing a prefix is not the unit")
  -- Outside every root, the folder's score stands for the project rather than one unit's.
  for _ = 1, 5 do
    H.eq(nil, status.pick(by_root, "/elsewhere/x.py").unit)
  end
  H.eq(nil, status.pick(by_root, nil).unit)
  status.clear(id)
end)

H.test("report.bar fills in proportion to the score", function()
  H.eq(string.rep("█", 10) .. string.rep("░", 10), report.bar(50))
  H.eq(string.rep("█", 20), report.bar(100))
  H.eq(string.rep("░", 20), report.bar(-5))
  H.eq(string.rep("·", 4), report.bar(nil, 4))
end)

local sample = {
  overall = 86,
  band = "Production Ready",
  profile = "seed",
  categories = {
    { id = "docker", title = "Docker Images and Containerization", score = 50 },
    { id = "health", title = "Health Check Endpoints", score = 80 },
    { id = "cdk", title = "AWS CDK Infrastructure Code", score = vim.NIL },
  },
  findings = {
    {
      code = "DK002",
      severity = "MEDIUM",
      file = "Dockerfile",
      range = { start = { line = 2, column = 1 }, ["end"] = { line = 2, column = 23 } },
      message = "No compose file:\nadd a compose.yaml.",
      points = 5,
    },
    {
      code = "HC003",
      severity = "HIGH",
      file = "backend/main.py",
      range = { start = { line = 4, column = 1 } },
      message = "The main application has no health endpoint.",
      points = 4,
    },
    { code = "RB003", severity = "MEDIUM", file = vim.NIL, range = vim.NIL, message = "No rollback script.", points = 6 },
  },
}

H.test("report.format: header with score, band and profile; a bar and figure per category", function()
  local lines = report.format(sample)
  H.eq("Readiness 86.00/100 - Production Ready  (profile: seed)", lines[1])
  H.contains(lines[3], "Docker Images and Containerization  " .. report.bar(50) .. "  50.00")
  H.contains(lines[4], "Health Check Endpoints" .. string.rep(" ", 12) .. "  " .. report.bar(80) .. "  80.00")
  H.contains(lines[5], "n/a")
end)

H.test("report.format: gaps by severity then points, with location and points; message lines map to the gap", function()
  local lines, gaps = report.format(sample)
  local text = table.concat(lines, "\n")
  H.contains(text, "Gaps (3)")
  local hc, rb, dk = text:find("HC003", 1, true), text:find("RB003", 1, true), text:find("DK002", 1, true)
  H.ok(hc < rb and rb < dk, "HIGH first, then the MEDIUM worth more points")
  H.contains(text, "HC003 backend/main.py:4:1  +4.00")
  H.contains(text, "RB003 (workspace)  +6.00")
  H.contains(text, "No compose file: add a compose.yaml.")
  local mapped = {}
  for lnum, f in pairs(gaps) do
    mapped[f.code] = (mapped[f.code] or 0) + 1
    H.ok(lines[lnum]:find(f.code, 1, true) or lines[lnum]:find(f.message:sub(1, 10), 1, true), "line " .. lnum)
  end
  H.eq({ DK002 = 2, HC003 = 2, RB003 = 2 }, mapped)
end)

H.test("report.format: a clean report says there is nothing to fix", function()
  local lines, gaps = report.format({ overall = 100, band = "Production Ready", categories = {}, findings = {} })
  H.contains(table.concat(lines, "\n"), "No gaps")
  H.eq({}, gaps)
end)

local function finding(code, unit, file, line, points, severity)
  return {
    code = code,
    unit = unit,
    severity = severity or "MEDIUM",
    file = file,
    range = { start = { line = line, column = 1 } },
    message = code .. " message",
    points = points,
  }
end

local units_sample = {
  root = "/w",
  overall = 36.41,
  band = "Significant Work Required",
  profile = "standard",
  categories = { { id = "docker", title = "Docker Images and Containerization", score = 70.84 } },
  findings = {}, -- every unit's gaps, also listed under each unit below
  units = {
    {
      name = "api",
      root = "api",
      kinds = { "image" },
      overall = 18.75,
      band = "Significant Work Required",
      categories = {
        { id = "docker", title = "Docker Images and Containerization", score = 75 },
        { id = "health", title = "Health Check Endpoints", score = 0 },
      },
      findings = {
        finding("DK002", "api", "api/Dockerfile", 1, 6.25),
        finding("HC001", "api", "api/app/main.py", 3, 6.25, "CRITICAL"),
      },
    },
    {
      name = "billing",
      root = "billing",
      kinds = { "cdk" },
      overall = 23.81,
      band = "Significant Work Required",
      categories = { { id = "cdk", title = "AWS CDK Infrastructure Code", score = 71.43 } },
      findings = { finding("CD003", "billing", "billing/app.py", 5, 4.76) },
    },
    { name = "tools/reportgen", root = "tools/reportgen", kinds = { "image" }, overall = 100, band = "Production Ready", categories = {}, findings = {} },
  },
  set_aside = {
    { path = ".devcontainer/Dockerfile", role = "development", reason = "in a development folder (.devcontainer/)" },
    { path = "archived/old-api/Dockerfile", role = "archived", reason = "in a archived folder (archived/)" },
  },
}
for _, u in ipairs(units_sample.units) do
  vim.list_extend(units_sample.findings, u.findings)
end

H.test("report.format: a workspace of several units lists them, then a section per unit with its bars and gaps", function()
  local lines, gaps, headings = report.format(units_sample)
  local text = table.concat(lines, "\n")
  H.eq("Readiness 36.41/100 - Significant Work Required  (profile: standard)", lines[1])
  H.eq("The mean of 3 deployable units", lines[2])
  H.contains(text, "Units (3)")
  H.contains(text, "  api (image)              " .. report.bar(18.75) .. "  18.75  Significant Work Required, 2 gaps")
  H.contains(text, "  billing (cdk)            " .. report.bar(23.81) .. "  23.81  Significant Work Required, 1 gap")
  H.contains(text, "  tools/reportgen (image)  " .. report.bar(100) .. " 100.00  Production Ready, 0 gaps")
  H.contains(text, "Unit api (image): Readiness 18.75/100 - Significant Work Required")
  H.contains(text, "Unit billing (cdk): Readiness 23.81/100 - Significant Work Required")
  -- Each unit's gaps sit under its own heading, and only there.
  local api_at = text:find("Unit api (image)", 1, true)
  local billing_at = text:find("Unit billing (cdk)", 1, true)
  local tools_at = text:find("Unit tools/reportgen (image)", 1, true)
  local hc001 = text:find("HC001 api/app/main.py:3:1  +6.25", 1, true)
  local cd003 = text:find("CD003 billing/app.py:5:1  +4.76", 1, true)
  H.ok(api_at < hc001 and hc001 < billing_at, "HC001 under unit api")
  H.ok(billing_at < cd003 and cd003 < tools_at, "CD003 under unit billing")
  H.ok(select(2, text:gsub("HC001 api/app/main.py", "")) == 1, "each gap shown once")
  H.contains(text:sub(api_at, billing_at), "Health Check Endpoints")
  H.contains(text:sub(api_at, billing_at), "Gaps (2)")
  H.contains(text:sub(tools_at), "No gaps: nothing to fix.")
  -- The units' headings are highlighted as titles.
  local headed = {}
  for _, lnum in ipairs(headings) do
    headed[lines[lnum]:match("^(%S+)")] = true
  end
  H.ok(headed.Units and headed.Unit and headed.Set, "headings " .. vim.inspect(headed))
  -- <CR> on a gap's lines opens it.
  local mapped = {}
  for _, f in pairs(gaps) do
    if f.code then
      mapped[f.code] = (mapped[f.code] or 0) + 1
    end
  end
  H.eq({ CD003 = 2, DK002 = 2, HC001 = 2 }, mapped)
end)

H.test("report.format: the files set aside as not production are listed with their reason", function()
  local lines, gaps = report.format(units_sample)
  local text = table.concat(lines, "\n")
  H.contains(text, "Set aside, not production (2 files)")
  H.contains(text, "  .devcontainer/Dockerfile: in a development folder (.devcontainer/)")
  H.contains(text, "  archived/old-api/Dockerfile: in a archived folder (archived/)")
  local opens = {}
  for lnum, f in pairs(gaps) do
    if f.code == nil then
      opens[#opens + 1] = f.file
      H.contains(lines[lnum], f.file)
    end
  end
  table.sort(opens)
  H.eq({ ".devcontainer/Dockerfile", "archived/old-api/Dockerfile" }, opens, "<CR> opens a set-aside file")
end)

H.test("report.format: one unit at the workspace root reads as before units existed, set-aside files included", function()
  local single = vim.deepcopy(sample)
  single.units = { { name = ".", root = "", kinds = { "image" }, overall = 86, band = "Production Ready", categories = {}, findings = {} } }
  H.eq(report.format(sample), report.format(single))
  single.set_aside = { { path = "archived/Dockerfile", role = "archived", reason = "in a archived folder (archived/)" } }
  local text = table.concat(report.format(single), "\n")
  H.ok(not text:find("Unit ", 1, true), "no unit sections")
  H.contains(text, "Set aside, not production (1 file)\n  archived/Dockerfile: in a archived folder (archived/)")
  H.eq(nil, report.units(single))
  H.eq(3, #report.units(units_sample))
  H.eq(nil, report.units({ units = { { name = "api", root = "api" } } }), "a lone unit is the workspace's score")
end)

H.test("report.show opens a float with the formatted report and q closes it", function()
  local win = report.show(sample)
  H.ok(vim.api.nvim_win_get_config(win).relative == "editor", "floating window")
  local buf = vim.api.nvim_win_get_buf(win)
  H.eq(report.format(sample), vim.api.nvim_buf_get_lines(buf, 0, -1, false))
  vim.api.nvim_feedkeys("q", "x", false)
  H.ok(not vim.api.nvim_win_is_valid(win), "closed by q")
end)

H.test("fix.pick takes the fix-all action and skips quick fixes and bare commands", function()
  local actions = {
    { title = "run", command = "shipready.report" },
    { title = "Add /health", kind = "quickfix" },
    { title = "Fix all shipready gaps", kind = "source.fixAll.shipready" },
  }
  H.eq("Fix all shipready gaps", fix.pick(actions).title)
  H.eq("sub", fix.pick({ { title = "sub", kind = "source.fixAll.shipready.safe" } }).title)
  H.eq(nil, fix.pick({ { title = "other", kind = "source.fixAll.eslint" } }))
  H.eq(nil, fix.pick(nil))
end)

H.test("health.binary_version reports a missing binary instead of raising", function()
  local version, err = require("shipready.health").binary_version("/nonexistent/shipready")
  H.eq(nil, version)
  H.ok(err ~= nil and err ~= "", "an error message")
end)

H.test(":checkhealth shipready reports an ERROR when the binary is missing", function()
  vim.lsp.config("shipready", config.lsp_config({ cmd = { "/nonexistent/shipready", "lsp" } }))
  vim.cmd("checkhealth shipready")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  H.contains(text, "ERROR")
  H.contains(text, "/nonexistent/shipready")
  vim.cmd("bwipeout!")
end)

H.run(30000)
