--- A small test runner for headless Neovim: named tests, assertions, waiting with a deadline, a watchdog timer,
--- and the exit code through `cquit` so a shell script sees failures.
local H = {}

local tests = {}

--- @param name string
--- @param fn fun()
function H.test(name, fn)
  table.insert(tests, { name = name, fn = fn })
end

function H.log(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. "\n")
  io.stdout:flush()
end

--- @param cond any
--- @param msg string|nil
function H.ok(cond, msg)
  if not cond then
    error(msg or "assertion failed", 2)
  end
end

function H.eq(expected, actual, msg)
  if not vim.deep_equal(expected, actual) then
    error(
      string.format("%sexpected %s, got %s", msg and (msg .. ": ") or "", vim.inspect(expected), vim.inspect(actual)),
      2
    )
  end
end

--- Asserts that `haystack` contains `needle` (plain text).
function H.contains(haystack, needle, msg)
  if type(haystack) ~= "string" or not haystack:find(needle, 1, true) then
    error(string.format("%sexpected %s to contain %s", msg and (msg .. ": ") or "", vim.inspect(haystack), vim.inspect(needle)), 2)
  end
end

--- Asserts that `fn` raises an error whose message contains `needle`.
function H.raises(fn, needle)
  local ok, err = pcall(fn)
  if ok then
    error("expected an error containing " .. vim.inspect(needle), 2)
  end
  H.contains(tostring(err), needle)
end

--- Waits up to `ms` for `predicate` to return a truthy value (processing events meanwhile); errors naming `what`
--- on timeout. Returns the predicate's value.
function H.wait(ms, predicate, what)
  local value
  local done = vim.wait(ms, function()
    value = predicate()
    return value
  end, 25)
  if not done then
    error("timed out after " .. ms .. " ms waiting for " .. what, 2)
  end
  return value
end

--- Called with the failure list before exiting when a test fails (e.g. to print the LSP log).
H.on_failure = nil

--- Runs every registered test, prints one line per test, then exits: `qall!` when all pass, `cquit 1` otherwise.
--- A watchdog exits with `cquit 2` if the run takes longer than `timeout_ms`. With `opts.bail` (for specs whose
--- steps build on each other) the tests after the first failure are skipped.
--- @param timeout_ms integer
--- @param opts { bail: boolean }|nil
function H.run(timeout_ms, opts)
  opts = opts or {}
  local watchdog = vim.uv.new_timer()
  watchdog:start(timeout_ms, 0, function()
    vim.schedule(function()
      H.log("WATCHDOG: tests did not finish within %d ms", timeout_ms)
      vim.cmd("cquit 2")
    end)
  end)
  local failed, passed, skipped = {}, 0, 0
  for _, t in ipairs(tests) do
    if opts.bail and #failed > 0 then
      H.log("SKIP %s (an earlier step failed)", t.name)
      skipped = skipped + 1
      goto continue
    end
    local started = vim.uv.hrtime()
    local ok, err = xpcall(t.fn, debug.traceback)
    local ms = (vim.uv.hrtime() - started) / 1e6
    if ok then
      H.log("ok   %s (%.0f ms)", t.name, ms)
      passed = passed + 1
    else
      H.log("FAIL %s (%.0f ms)\n%s", t.name, ms, tostring(err))
      table.insert(failed, t.name)
    end
    ::continue::
  end
  watchdog:stop()
  H.log("%d passed, %d failed, %d skipped", passed, #failed, skipped)
  if #failed > 0 then
    if H.on_failure then
      pcall(H.on_failure, failed)
    end
    vim.cmd("cquit 1")
  else
    vim.cmd("qall!")
  end
end

return H
