--- End-to-end test of the plain config: no setup(), just `vim.lsp.config` overriding cmd and
--- `vim.lsp.enable("shipready")` picking up lsp/shipready.lua from the runtimepath; init_options reach the server.
local H = require("harness")
local E = require("e2e_helpers")

local root = E.workspace()
vim.lsp.config("shipready", {
  cmd = { E.bin, "lsp" },
  init_options = { profile = "seed", severities = { DK003 = "hint" } },
})
vim.lsp.enable("shipready")

H.test("vim.lsp.enable('shipready') from the runtimepath starts the server on a Dockerfile", function()
  local buf = E.open(root, "Dockerfile")
  local client = E.client(buf)
  H.eq(root, client.root_dir)
  H.eq({ "dockerfile", "yaml", "yaml.docker-compose", "markdown", "python", "json" }, client.config.filetypes)
  local diags = E.wait_codes(buf, { "DK002", "DK003" })
  H.eq(vim.diagnostic.severity.WARN, diags.DK002.severity, "DK002 keeps its MEDIUM -> warning severity")
  H.eq(vim.diagnostic.severity.HINT, diags.DK003.severity, "init_options.severities reached the server")
end)

H.test("the statusline gets the score through the config's shipready/score handler", function()
  H.wait(15000, function()
    return require("shipready").status() == "Readiness 86.0 Production Ready"
  end, "the workspace's score (status now: " .. require("shipready").status() .. ")")
end)

H.run(45000, { bail = true })
