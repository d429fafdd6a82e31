--- `:checkhealth qbank`
local M = {}

--- The buffer the user was editing: `:checkhealth` shows its report in a buffer of its own, so
--- the current buffer may be that one; then the alternate buffer is used.
local function user_buffer()
  local candidates = { vim.api.nvim_get_current_buf(), vim.fn.bufnr('#') }
  for _, buf in ipairs(candidates) do
    if buf > 0 and vim.api.nvim_buf_is_valid(buf) and vim.bo[buf].buftype == '' then
      local name = vim.api.nvim_buf_get_name(buf)
      if name ~= '' and not name:match('^health://') then
        return buf, name
      end
    end
  end
  return nil, nil
end

function M.check()
  local health = vim.health
  local qbank = require('qbank')

  health.start('qbank: Neovim')
  local v = vim.version()
  local version = ('%d.%d.%d%s'):format(v.major, v.minor, v.patch, v.prerelease and ('-' .. v.prerelease) or '')
  if qbank.nvim_supported() then
    health.ok('Neovim ' .. version .. ' (0.11+ has vim.lsp.config / vim.lsp.enable)')
  else
    health.error('Neovim ' .. version .. ' is too old', { 'Install Neovim 0.11 or later.' })
  end

  health.start('qbank: server binary')
  local configured = qbank.options and qbank.options.cmd or nil
  local cmd, err = qbank.resolve_cmd(configured)
  if not cmd then
    health.error(err)
  else
    local source = configured and 'from setup{ cmd = … }' or 'from $PATH'
    health.ok(('binary: %s (%s)'):format(cmd[1], source))
    health.info('server command: ' .. table.concat(cmd, ' '))
    local ok, result = pcall(function()
      return vim.system({ cmd[1], '--version' }, { text = true }):wait(10000)
    end)
    if not ok then
      health.error('`' .. cmd[1] .. ' --version` could not run: ' .. tostring(result))
    elseif result.code ~= 0 then
      health.error(
        ('`%s --version` exited with %s'):format(cmd[1], tostring(result.code)),
        { vim.trim((result.stderr or '') .. (result.stdout or '')) }
      )
    else
      health.ok('version: ' .. vim.trim(result.stdout or ''))
    end
  end
  if qbank.options == nil then
    health.warn("require('qbank').setup() has not been called: the server is not registered")
  end

  health.start('qbank: current buffer')
  local buf, name = user_buffer()
  if not buf then
    health.info('no file buffer; looking for qbank.toml from the working directory')
  else
    health.info('buffer: ' .. name)
  end
  local start = name and vim.fs.dirname(name) or vim.fn.getcwd()
  local found = vim.fs.find('qbank.toml', { upward = true, path = start, type = 'file' })[1]
  if found then
    health.ok('qbank.toml: ' .. found)
  else
    health.info('no qbank.toml above ' .. start .. ': every open Markdown file is checked with the default rules')
  end
  if buf then
    local client = qbank.client(buf)
    if client then
      health.ok(('server attached (client id %d, root %s)'):format(client.id, tostring(client.root_dir or client.config.root_dir)))
    else
      health.info('no qbank server attached to this buffer')
    end
  end
end

return M
