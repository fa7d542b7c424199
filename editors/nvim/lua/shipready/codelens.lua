--- Keeps the server's code lenses ("Readiness 86.0/100 - Production Ready" at the top of the guide, Dockerfiles and
--- the main app file) fresh: Neovim only shows lenses it was asked to refresh.
local M = {}

local group = vim.api.nvim_create_augroup("shipready.codelens", { clear = true })

--- Refreshes the lenses of every buffer a shipready client serves (after a score change anywhere).
function M.refresh_all()
  if vim.g.shipready_codelens == false then
    return
  end
  for _, client in ipairs(vim.lsp.get_clients({ name = "shipready" })) do
    for bufnr in pairs(client.attached_buffers or {}) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end
    end
  end
end

--- Starts refreshing a buffer's lenses when it is entered, left in normal mode or written.
--- @param client vim.lsp.Client
--- @param bufnr integer
function M.attach(client, bufnr)
  if vim.g.shipready_codelens == false or not client:supports_method("textDocument/codeLens", bufnr) then
    return
  end
  vim.api.nvim_clear_autocmds({ group = group, buffer = bufnr })
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    end,
  })
  vim.lsp.codelens.refresh({ bufnr = bufnr })
end

return M
