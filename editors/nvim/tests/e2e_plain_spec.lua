--- End-to-end test of the plain config: no setup(), just `vim.lsp.config` overriding cmd and
--- `vim.lsp.enable("shipready")` picking up lsp/shipready.lua from the runtimepath.
local H = require("harness")
local E = require("e2e_helpers")

local root = E.workspace()
vim.lsp.config("shipready", { cmd = { E.bin, "lsp" }, init_options = { profile = "seed" } })
vim.lsp.enable("shipready")

H.test("vim.lsp.enable('shipready') from the runtimepath starts the server on a Dockerfile", function()
  local buf = E.open(root, "Dockerfile")
  local client = E.client(buf)
  H.eq(root, client.root_dir)
  H.eq({ "dockerfile", "yaml", "yaml.docker-compose", "markdown", "python", "json" }, client.config.filetypes)
  E.wait_codes(buf, { "DK002", "DK003" })
end)

H.test("the statusline gets the score through the config's shipready/score handler", function()
  H.wait(15000, function()
    return require("shipready").status() == "Readiness 86.0 Production Ready"
  end, "the workspace's score (status now: " .. require("shipready").status() .. ")")
end)

H.run(45000, { bail = true })
