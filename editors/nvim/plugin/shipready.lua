--- Defines `:Shipready`; the server itself is registered by `require("shipready").setup()` or `vim.lsp.enable("shipready")`.
if vim.g.loaded_shipready then
  return
end
vim.g.loaded_shipready = true

vim.api.nvim_create_user_command("Shipready", function(cmd)
  require("shipready").command(cmd.args)
end, {
  nargs = "?",
  desc = "shipready: report | fixall | restart",
  complete = function(lead)
    return vim.tbl_filter(function(name)
      return vim.startswith(name, lead)
    end, vim.tbl_keys(require("shipready").commands))
  end,
})

vim.api.nvim_create_autocmd("LspAttach", {
  group = vim.api.nvim_create_augroup("shipready", { clear = true }),
  desc = "shipready: keep code lenses fresh",
  callback = function(args)
    local client = vim.lsp.get_client_by_id(args.data.client_id)
    if client and client.name == "shipready" then
      require("shipready.codelens").attach(client, args.buf)
    end
  end,
})
