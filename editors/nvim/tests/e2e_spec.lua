--- End-to-end tests: the plugin's setup() starts the real `shipready lsp` in headless Neovim on a copy of the seed
--- example workspace; diagnostics, hover, a quick fix, the statusline, :Shipready report/fixall and
--- :checkhealth are checked against what the server really does.
local H = require("harness")
local E = require("e2e_helpers")

vim.lsp.log.set_level(vim.log.levels.WARN)
local root = E.workspace()
require("shipready").setup({ cmd = { E.bin, "lsp" }, profile = "seed" })

local state = {}

H.test("Dockerfile: DK002 and DK003 arrive from source shipready on the FROM line", function()
  state.docker = E.open(root, "Dockerfile")
  local client = E.client(state.docker)
  H.eq(root, client.root_dir, "root found by the root markers")
  local diags = E.wait_codes(state.docker, { "DK002", "DK003" })
  H.eq(1, diags.DK002.lnum, "DK002 on line 2 (0-based 1)")
  H.eq(1, diags.DK003.lnum, "DK003 on line 2 (0-based 1)")
  H.eq(vim.diagnostic.severity.WARN, diags.DK002.severity)
end)

H.test("status() shows the workspace score from shipready/score once the scan is done", function()
  -- The server may announce partial scores while it scans; the statusline follows it to the workspace's score.
  H.wait(15000, function()
    return require("shipready").status() == "Readiness 86.0 Production Ready"
  end, "the workspace's score in status() (now '" .. require("shipready").status() .. "')")
end)

H.test("the Dockerfile shows the readiness code lens", function()
  local lens = H.wait(10000, function()
    for _, l in ipairs(vim.lsp.codelens.get(state.docker)) do
      if l.command and l.command.title:find("Readiness 86.0/100", 1, true) then
        return l
      end
    end
  end, "a readiness lens on the Dockerfile")
  H.contains(lens.command.title, "Production Ready")
end)

H.test("backend/main.py: HC003 on the app, in the same client", function()
  state.main = E.open(root, "backend/main.py")
  local client = E.client(state.main)
  H.eq(E.client(state.docker).id, client.id, "one server per workspace")
  local diags = E.wait_codes(state.main, { "HC003" })
  H.eq(3, diags.HC003.lnum, "HC003 on line 4 (0-based 3)")
  H.contains(diags.HC003.message, "health")
end)

H.test("hover on HC003 shows the points it is worth and the score before -> after", function()
  local d = E.diagnostics(state.main).HC003
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local client = E.client(state.main)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local res = vim.lsp.buf_request_sync(state.main, "textDocument/hover", params, 10000)
  H.ok(res and res[client.id] and res[client.id].result, "a hover result")
  local contents = res[client.id].result.contents
  local text = type(contents) == "table" and (contents.value or vim.inspect(contents)) or tostring(contents)
  H.contains(text, "HC003")
  H.contains(text, "**4.0 points**")
  H.contains(text, "from 86.0 Production Ready to 90.0 Production Ready")
end)

H.test(":Shipready report opens a float with the score, the categories and the gaps", function()
  local report = require("shipready.report")
  report.win = nil
  vim.cmd("Shipready report")
  local win = H.wait(10000, function()
    return report.win and vim.api.nvim_win_is_valid(report.win) and report.win or nil
  end, "the report float")
  H.ok(vim.api.nvim_win_get_config(win).relative ~= "", "a floating window")
  local text = E.buffer_text(vim.api.nvim_win_get_buf(win))
  H.contains(text, "Readiness 86.00/100 - Production Ready")
  H.contains(text, "Docker Images and Containerization")
  H.contains(text, "HC003 backend/main.py:4:1  +4.00")
  H.contains(text, "DK002 Dockerfile:2:1")
  vim.api.nvim_win_close(win, true)
  vim.api.nvim_set_current_buf(state.main)
end)

--- Requests the code actions at HC003 and applies the quick fix.
local function apply_health_quickfix()
  local client = E.client(state.main)
  local d = E.diagnostics(state.main).HC003
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(state.main) },
    range = d.user_data.lsp.range,
    context = { diagnostics = { d.user_data.lsp }, only = { "quickfix" } },
  }
  local res = vim.lsp.buf_request_sync(state.main, "textDocument/codeAction", params, 10000)
  local actions = res and res[client.id] and res[client.id].result or {}
  local chosen
  for _, a in ipairs(actions) do
    if a.kind == "quickfix" and a.title:lower():find("health") then
      chosen = a
      break
    end
  end
  H.ok(chosen, "a health quick fix among " .. vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, actions)))
  local applied
  require("shipready.fix").apply(client, chosen, state.main, function(err, ok)
    applied = { err = err, ok = ok }
  end)
  H.wait(10000, function()
    return applied
  end, "the quick fix to be applied")
  H.eq(nil, applied.err)
end

H.test("the HC003 quick fix inserts a /health route and the diagnostic clears", function()
  local before = E.buffer_text(state.main)
  apply_health_quickfix()
  local after = E.buffer_text(state.main)
  H.ok(after ~= before, "the buffer changed")
  H.contains(after, "/health")
  H.wait(15000, function()
    return E.diagnostics(state.main).HC003 == nil
  end, "HC003 to clear after the edit")
  H.wait(15000, function()
    return require("shipready").status() == "Readiness 90.0 Production Ready"
  end, "the statusline to show the new score (now " .. require("shipready").status() .. ")")
end)

H.test(":Shipready fixall applies source.fixAll.shipready and the gap clears", function()
  vim.api.nvim_set_current_buf(state.main)
  vim.cmd("silent undo")
  H.ok(not E.buffer_text(state.main):find("/health", 1, true), "undo removed the route")
  E.wait_codes(state.main, { "HC003" })
  vim.cmd("Shipready fixall")
  H.wait(10000, function()
    return E.buffer_text(state.main):find("/health", 1, true)
  end, "fix all to insert the health route")
  H.wait(15000, function()
    return E.diagnostics(state.main).HC003 == nil
  end, "HC003 to clear after fix all")
end)

H.test(":checkhealth shipready passes with the binary, its version and the running server", function()
  vim.cmd("checkhealth shipready")
  local text = E.buffer_text(0)
  H.ok(not text:find("ERROR"), "no ERROR lines:\n" .. text)
  H.contains(text, "binary: " .. E.bin)
  H.contains(text, "version: shipready ")
  H.contains(text, "running, root " .. root)
  H.contains(text, "score: Readiness")
  vim.cmd("bwipeout!")
end)

H.test(":Shipready restart starts a new server that serves the open buffers again", function()
  local old = E.client(state.docker).id
  vim.cmd("Shipready restart")
  vim.api.nvim_set_current_buf(state.docker)
  local client = H.wait(20000, function()
    local c = vim.lsp.get_clients({ name = "shipready", bufnr = state.docker })[1]
    return c and c.id ~= old and c.initialized and c or nil
  end, "a new client after restart")
  H.eq(nil, vim.lsp.get_client_by_id(old), "the old client has exited")
  E.wait_codes(state.docker, { "DK002", "DK003" })
end)

H.run(120000, { bail = true })
