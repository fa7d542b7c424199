--- Unit tests of the plugin's own logic (config, statusline, report formatting, fix-all selection, health checks),
--- run in headless Neovim without a server.
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
