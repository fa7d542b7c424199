--- The shipready server for `vim.lsp.enable("shipready")` from 'runtimepath', without calling setup().
--- Options go through `vim.lsp.config("shipready", { init_options = { profile = "standard" } })`.
return require("shipready.config").lsp_config()
