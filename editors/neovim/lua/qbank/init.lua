--- qbank for Neovim: registers `qbank lsp` with the built-in LSP client (Neovim 0.11+) and
--- offers the server's workspace commands. See `:help qbank`.
local M = {}

--- Oldest Neovim with `vim.lsp.config()` / `vim.lsp.enable()`.
M.MIN_NVIM = { 0, 11, 0 }

M.defaults = {
  --- Command that starts the server, e.g. `{ '/path/to/qbank', 'lsp' }`. Default: `qbank lsp`
  --- with `qbank` found on $PATH.
  cmd = nil,
  --- Sent as `initializationOptions` and as the `qbank` section of
  --- `workspace/didChangeConfiguration`: `{ rules = { ['missing-tldr'] = 'hint' },
  --- dedup = { mode = 'lexical', model = nil } }`.
  settings = {},
  filetypes = { 'markdown' },
  root_markers = { 'qbank.toml', '.git' },
}

--- The options the last successful `setup()` used (nil before).
M.options = nil

local function notify(msg, level)
  vim.notify('qbank: ' .. msg, level or vim.log.levels.INFO, { title = 'qbank' })
end

--- Whether this Neovim has the LSP configuration API the plugin needs.
function M.nvim_supported()
  return vim.fn.has('nvim-0.11') == 1 and vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

--- The server command from the options: `opts.cmd` (a list, or a string taken as the binary),
--- else `qbank lsp` with `qbank` from $PATH. Returns the command list, or nil and an error.
function M.resolve_cmd(cmd)
  if type(cmd) == 'string' then
    cmd = { cmd, 'lsp' }
  end
  if cmd ~= nil then
    if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' or cmd[1] == '' then
      return nil, 'the `cmd` option must be a list such as { "/path/to/qbank", "lsp" }'
    end
    local exe = vim.fn.exepath(cmd[1])
    if exe == '' then
      return nil, ('server binary %q (option `cmd`) is not an executable file'):format(cmd[1])
    end
    return vim.list_extend({ exe }, vim.list_slice(cmd, 2))
  end
  local exe = vim.fn.exepath('qbank')
  if exe == '' then
    return nil,
      'the `qbank` binary is not on $PATH; install it (`cargo install --path crates/qbank`) or pass '
        .. "`cmd = { '/path/to/qbank', 'lsp' }` to require('qbank').setup()"
  end
  return { exe, 'lsp' }
end

--- Registers and enables the `qbank` language server. Returns true on success; on failure
--- reports the problem with `vim.notify` and returns false.
function M.setup(opts)
  opts = opts or {}
  if not M.nvim_supported() then
    local v = vim.version()
    notify(
      ('Neovim 0.11 or later is required (vim.lsp.config / vim.lsp.enable); this is %d.%d.%d'):format(
        v.major,
        v.minor,
        v.patch
      ),
      vim.log.levels.ERROR
    )
    return false
  end
  local options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  -- Lists replace, not merge.
  options.filetypes = opts.filetypes or M.defaults.filetypes
  options.root_markers = opts.root_markers or M.defaults.root_markers
  local cmd, err = M.resolve_cmd(opts.cmd)
  if not cmd then
    notify(err, vim.log.levels.ERROR)
    return false
  end
  options.cmd = cmd
  local settings = options.settings or {}
  vim.lsp.config('qbank', {
    cmd = cmd,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    init_options = settings,
    settings = { qbank = settings },
  })
  vim.lsp.enable('qbank')
  M.options = options
  return true
end

--- The qbank client attached to `bufnr` (default: current buffer), or nil.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'qbank' })[1]
end

local function attached_client(bufnr)
  local client = M.client(bufnr)
  if not client then
    notify('no qbank language server is attached to this buffer', vim.log.levels.ERROR)
  end
  return client
end

local function execute(client, bufnr, command, arguments, callback)
  client:request('workspace/executeCommand', { command = command, arguments = arguments }, function(err, result)
    if err then
      notify(('%s failed: %s'):format(command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    callback(result)
  end, bufnr)
end

--- Runs `qbank.checkWorkspace`. `callback(result)` gets `{ files = N, findings = M }`; without
--- one, the summary is echoed (and kept in `:messages`).
function M.check_workspace(bufnr, callback)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = attached_client(bufnr)
  if not client then
    return false
  end
  execute(client, bufnr, 'qbank.checkWorkspace', {}, function(result)
    if callback then
      return callback(result)
    end
    result = result or {}
    vim.api.nvim_echo({
      { ('qbank: checked %d files, %d findings'):format(result.files or 0, result.findings or 0) },
    }, true, {})
  end)
  return true
end

--- Runs `qbank.duplicates` for the cursor position in `winid` (default: current window).
--- `callback(items, result)` gets quickfix items; without one they go to the quickfix list,
--- which opens (or a message says there are none).
function M.duplicates(winid, callback)
  winid = (winid == nil or winid == 0) and vim.api.nvim_get_current_win() or winid
  local bufnr = vim.api.nvim_win_get_buf(winid)
  local client = attached_client(bufnr)
  if not client then
    return false
  end
  local params = vim.lsp.util.make_position_params(winid, client.offset_encoding)
  local argument = { uri = params.textDocument.uri, position = params.position }
  execute(client, bufnr, 'qbank.duplicates', { argument }, function(result)
    result = result or {}
    local items = vim.lsp.util.locations_to_items(result, client.offset_encoding)
    for i, item in ipairs(items) do
      local found = result[i]
      if found and found.question then
        item.text = ('%s (score %.2f)'):format(found.question, tonumber(found.score) or 0)
      end
    end
    if callback then
      return callback(items, result)
    end
    if #items == 0 then
      vim.api.nvim_echo({ { 'qbank: no duplicates of this question in the workspace' } }, true, {})
      return
    end
    vim.fn.setqflist({}, ' ', { title = 'qbank duplicates', items = items })
    vim.cmd('copen')
  end)
  return true
end

return M
