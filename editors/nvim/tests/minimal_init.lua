--- Init file for the tests: puts the plugin (and the tests directory) on 'runtimepath'/package.path, then runs the
--- spec named by $SHIPREADY_TEST_SPEC once Neovim has started, so filetype detection is on.
local init = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p")
local here = vim.fn.fnamemodify(init, ":h")
local root = vim.fn.fnamemodify(init, ":h:h")
vim.opt.runtimepath:prepend(root)
package.path = here .. "/?.lua;" .. package.path
vim.o.swapfile = false
vim.o.shadafile = "NONE"
vim.o.more = false
-- The Python filetype plugin probes for a python3 provider, which takes seconds behind pyenv shims.
vim.g.loaded_python3_provider = 0

local spec = os.getenv("SHIPREADY_TEST_SPEC")
vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(dofile, debug.traceback, spec)
      if not ok then
        io.stdout:write("spec crashed: " .. tostring(err) .. "\n")
        vim.cmd("cquit 3")
      end
    end)
  end,
})
