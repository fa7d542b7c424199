--- Shared steps of the end-to-end specs: a fresh copy of the fixture workspace, opening files, waiting for the
--- client and for diagnostics, and printing the LSP log when a test fails.
local H = require("harness")

local E = {}

E.bin = assert(os.getenv("SHIPREADY_BIN"), "SHIPREADY_BIN is not set")
E.fixture = assert(os.getenv("SHIPREADY_FIXTURE"), "SHIPREADY_FIXTURE is not set")

--- Copies the fixture workspace into a fresh directory and returns its path.
--- @return string
function E.workspace()
  local base = os.getenv("SHIPREADY_TMP") or vim.fn.tempname()
  local dir = base .. "/workspace"
  vim.fn.delete(dir, "rf")
  vim.fn.mkdir(base, "p")
  local res = vim.system({ "cp", "-R", E.fixture, dir }):wait()
  assert(res.code == 0, "copying the fixture failed: " .. (res.stderr or ""))
  return vim.fn.resolve(dir)
end

--- Opens a workspace file and returns its buffer.
function E.open(root, rel)
  vim.cmd.edit(vim.fn.fnameescape(root .. "/" .. rel))
  return vim.api.nvim_get_current_buf()
end

--- Waits for the initialized shipready client attached to `bufnr`.
--- @return vim.lsp.Client
function E.client(bufnr, ms)
  return H.wait(ms or 20000, function()
    local c = vim.lsp.get_clients({ name = "shipready", bufnr = bufnr })[1]
    return c and c.initialized and c or nil
  end, "an initialized shipready client on buffer " .. bufnr)
end

--- The shipready diagnostics of a buffer, as a code -> diagnostic map.
function E.diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "shipready" and d.code then
      out[d.code] = d
    end
  end
  return out
end

--- Waits until the buffer's shipready diagnostics include every code in `codes`; returns the map.
function E.wait_codes(bufnr, codes, ms)
  return H.wait(ms or 20000, function()
    local by_code = E.diagnostics(bufnr)
    for _, code in ipairs(codes) do
      if not by_code[code] then
        return nil
      end
    end
    return by_code
  end, "diagnostics " .. table.concat(codes, ", ") .. " on " .. vim.api.nvim_buf_get_name(bufnr))
end

function E.buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

--- Prints the tail of Neovim's LSP log (server stderr and protocol errors) to help diagnose a failure.
function H.on_failure()
  local path = vim.lsp.log.get_filename()
  local lines = vim.fn.filereadable(path) == 1 and vim.fn.readfile(path) or {}
  H.log("---- last lines of %s ----", path)
  for i = math.max(1, #lines - 40), #lines do
    H.log("%s", lines[i])
  end
end

return E
