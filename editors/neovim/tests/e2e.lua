-- End-to-end test of the qbank Neovim plugin against the real `qbank lsp`. Run by
-- editors/neovim/scripts/test.sh, which sets QBANK_BIN, QBANK_E2E_DIR (a temp dir with
-- bank.md, other.md, links.md and qbank.toml) and puts the plugin on 'runtimepath'.
-- Prints one line per check, then `nvim-e2e: N passed, M failed`; exits non-zero on failure.

local bin = assert(vim.env.QBANK_BIN, 'QBANK_BIN is not set')
local dir = assert(vim.env.QBANK_E2E_DIR, 'QBANK_E2E_DIR is not set')
local WAIT = 30000

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

--- Runs one check; `fn` raises (error/assert) on failure. A failed check stops the run when
--- `fatal` is set (later checks depend on it).
local function check(name, fn, fatal)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out('ok   ' .. name)
  else
    failed = failed + 1
    out('FAIL ' .. name .. ': ' .. tostring(err))
    if fatal then
      error('fatal check failed: ' .. name, 0)
    end
  end
end

local function finish()
  out(('nvim-e2e: %d passed, %d failed'):format(passed, failed))
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

local function count_of(haystack, needle)
  local n, from = 0, 1
  while true do
    local s, e = haystack:find(needle, from, true)
    if not s then
      return n
    end
    n, from = n + 1, e + 1
  end
end

local function codes(buf)
  local by_code = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'qbank' and d.code then
      by_code[d.code] = (by_code[d.code] or 0) + 1
    end
  end
  return by_code
end

local function wait_for(what, cond)
  if not vim.wait(WAIT, cond, 50) then
    error('timed out after ' .. WAIT .. ' ms waiting for ' .. what, 2)
  end
end

local MOJIBAKE = 'â€'

local function run()
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/qbank.lua')
  local qbank = require('qbank')
  local bank_path = dir .. '/bank.md'
  local original = table.concat(vim.fn.readfile(bank_path), '\n')

  check('user commands :QbankCheckWorkspace and :QbankDuplicates exist', function()
    local cmds = vim.api.nvim_get_commands({})
    assert(cmds.QbankCheckWorkspace, ':QbankCheckWorkspace missing')
    assert(cmds.QbankDuplicates, ':QbankDuplicates missing')
  end)

  check('setup reports a missing binary with vim.notify and registers nothing', function()
    local notified = {}
    local real_notify, real_path = vim.notify, vim.env.PATH
    vim.notify = function(msg, level)
      table.insert(notified, { msg = msg, level = level })
    end
    local ok_cmd = qbank.setup({ cmd = { dir .. '/no-such-qbank', 'lsp' } })
    vim.env.PATH = dir -- no qbank here
    local ok_path = qbank.setup({})
    vim.notify, vim.env.PATH = real_notify, real_path
    assert(ok_cmd == false and ok_path == false, 'setup succeeded without a binary')
    assert(#notified == 2, 'expected 2 notifications, got ' .. vim.inspect(notified))
    assert(notified[1].level == vim.log.levels.ERROR and notified[1].msg:find('no-such-qbank', 1, true), notified[1].msg)
    assert(notified[2].level == vim.log.levels.ERROR and notified[2].msg:find('PATH', 1, true), notified[2].msg)
    assert(qbank.options == nil, 'a failed setup stored options')
  end)

  check('setup refuses Neovim older than 0.11 with a clear error', function()
    local notified = {}
    local real_notify, real_has = vim.notify, vim.fn.has
    vim.notify = function(msg, level)
      table.insert(notified, { msg = msg, level = level })
    end
    vim.fn.has = function(feature)
      return feature == 'nvim-0.11' and 0 or real_has(feature)
    end
    local ok = qbank.setup({ cmd = { bin, 'lsp' } })
    vim.notify, vim.fn.has = real_notify, real_has
    assert(ok == false, 'setup succeeded on "old" Neovim')
    assert(#notified == 1 and notified[1].level == vim.log.levels.ERROR, vim.inspect(notified))
    assert(notified[1].msg:find('Neovim 0.11', 1, true), notified[1].msg)
    assert(qbank.options == nil, 'a failed setup stored options')
  end)

  check('setup registers and enables the server', function()
    assert(qbank.setup({ cmd = { bin, 'lsp' }, settings = { rules = { ['QB016'] = 'hint' }, inlayHints = { numbers = true } } }) == true)
    local config = vim.lsp.config.qbank
    assert(config and config.cmd[1] == vim.fn.exepath(bin), 'cmd not registered: ' .. vim.inspect(config and config.cmd))
    assert(vim.deep_equal(config.filetypes, { 'markdown' }), vim.inspect(config.filetypes))
    assert(vim.deep_equal(config.root_markers, { 'qbank.toml', '.git' }), vim.inspect(config.root_markers))
    assert(config.init_options.rules.QB016 == 'hint', vim.inspect(config.init_options))
  end, true)

  vim.cmd('edit ' .. vim.fn.fnameescape(bank_path))
  local buf = vim.api.nvim_get_current_buf()

  local client
  check('client attaches to bank.md with the qbank.toml folder as root', function()
    assert(vim.bo[buf].filetype == 'markdown', 'filetype is ' .. vim.bo[buf].filetype)
    wait_for('the qbank client to attach', function()
      client = qbank.client(buf)
      return client ~= nil and client.initialized
    end)
    assert(vim.fs.normalize(client.root_dir) == vim.fs.normalize(vim.uv.fs_realpath(dir)) or vim.fs.normalize(client.root_dir) == vim.fs.normalize(dir), 'root_dir ' .. tostring(client.root_dir))
  end, true)

  check('diagnostics arrive with the expected rule codes (QB101 mojibake, QB012 missing-tldr, QB010 shape)', function()
    wait_for('qbank diagnostics', function()
      local c = codes(buf)
      return c.QB101 and c.QB012 and c.QB010
    end)
    local c = codes(buf)
    assert(c.QB101 == 6, 'QB101 count ' .. tostring(c.QB101))
    assert(c.QB012 == 50, 'QB012 count ' .. tostring(c.QB012))
    -- settings reached the server: QB016 configured as hint
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'QB016' then
        assert(d.severity == vim.diagnostic.severity.HINT, 'QB016 severity ' .. tostring(d.severity))
      end
    end
  end, true)

  check('QB101 quick fix removes the mojibake it points at', function()
    local target
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'QB101' then
        target = d
        break
      end
    end
    local lsp_diag = target.user_data and target.user_data.lsp
    assert(lsp_diag, 'diagnostic has no LSP data')
    local line_before = vim.api.nvim_buf_get_lines(buf, target.lnum, target.lnum + 1, false)[1]
    assert(line_before:find(MOJIBAKE, 1, true), 'diagnostic line has no mojibake: ' .. line_before)
    local total_before = count_of(buffer_text(buf), MOJIBAKE)
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
      textDocument = vim.lsp.util.make_text_document_params(buf),
      range = lsp_diag.range,
      context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
    }, WAIT)
    local action
    for _, response in pairs(responses or {}) do
      for _, a in ipairs(response.result or {}) do
        local fixes_target = false
        for _, d in ipairs(a.diagnostics or {}) do
          fixes_target = fixes_target or d.code == 'QB101'
        end
        if a.kind == 'quickfix' and a.edit and fixes_target and not action then
          action = a
        end
      end
    end
    assert(action, 'no QB101 quickfix with an edit: ' .. vim.inspect(responses))
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    local line_after = vim.api.nvim_buf_get_lines(buf, target.lnum, target.lnum + 1, false)[1]
    assert(not line_after:find(MOJIBAKE, 1, true), 'mojibake still on the line: ' .. line_after)
    assert(line_after:find('’', 1, true), 'the fix did not restore the apostrophe: ' .. line_after)
    assert(count_of(buffer_text(buf), MOJIBAKE) < total_before, 'mojibake count did not drop')
    wait_for('QB101 count to drop after the fix', function()
      local c = codes(buf)
      return (c.QB101 or 0) < 6
    end)
  end)

  check('formatting rewrites the bank in the canonical shape', function()
    local before = buffer_text(buf)
    assert(not before:find('## Incident Response & Troubleshooting', 1, true), 'already canonical?')
    assert(not before:find('<!-- id: ', 1, true), 'already has ids?')
    vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = WAIT, name = 'qbank' })
    local after = buffer_text(buf)
    assert(after:find('\n## Incident Response & Troubleshooting\n', 1, true), 'no section heading')
    assert(after:find('**Answer:**', 1, true), 'no **Answer:** label')
    assert(count_of(after, '<!-- id: ') == 50, 'expected 50 ids, got ' .. count_of(after, '<!-- id: '))
    wait_for('QB010 non-canonical-shape to go away after formatting', function()
      local c = codes(buf)
      return c.QB010 == nil and c.QB012 ~= nil
    end)
  end)

  check('document symbols list 50 questions under 8 sections', function()
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/documentSymbol', {
      textDocument = vim.lsp.util.make_text_document_params(buf),
    }, WAIT)
    local symbols
    for _, response in pairs(responses or {}) do
      symbols = symbols or response.result
    end
    assert(type(symbols) == 'table', 'no symbols: ' .. vim.inspect(responses))
    assert(#symbols == 8, 'expected 8 sections, got ' .. #symbols)
    assert(symbols[1].name:find('Incident Response & Troubleshooting', 1, true), symbols[1].name)
    local questions = 0
    for _, section in ipairs(symbols) do
      questions = questions + #(section.children or {})
    end
    assert(questions == 50, 'expected 50 questions, got ' .. questions)
    assert(symbols[1].children[1].name:find('intermittent high latency', 1, true), symbols[1].children[1].name)
  end)

  check(':QbankDuplicates fills the quickfix list with the other bank', function()
    local row
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      if line:match('^### 1%. Your production system is experiencing intermittent high latency') then
        row = i
        break
      end
    end
    assert(row, 'question 1 heading not found')
    vim.api.nvim_win_set_cursor(0, { row, 6 })
    vim.fn.setqflist({}, 'r', { title = 'empty', items = {} })
    vim.cmd('QbankDuplicates')
    wait_for('the quickfix list', function()
      return #vim.fn.getqflist() > 0
    end)
    local items = vim.fn.getqflist()
    assert(#items == 1, 'expected 1 duplicate, got ' .. vim.inspect(items))
    assert(vim.api.nvim_buf_get_name(items[1].bufnr):match('other%.md$'), 'duplicate not in other.md')
    assert(items[1].lnum == 5, 'wrong line ' .. items[1].lnum)
    assert(vim.fn.getqflist({ title = 1 }).title == 'qbank duplicates')
    vim.cmd('cclose')
    vim.api.nvim_set_current_buf(buf)
  end)

  check(':QbankCheckWorkspace echoes the summary', function()
    vim.cmd('messages clear')
    vim.cmd('QbankCheckWorkspace')
    local summary
    wait_for('the summary message', function()
      summary = vim.api.nvim_exec2('messages', { output = true }).output:match('qbank: checked (%d+) files, (%d+) findings')
      return summary ~= nil
    end)
    local messages = vim.api.nvim_exec2('messages', { output = true }).output
    local files, findings = messages:match('qbank: checked (%d+) files, (%d+) findings')
    assert(tonumber(files) == 3, 'expected 3 files: ' .. messages)
    assert(tonumber(findings) > 0, 'expected findings: ' .. messages)
  end)

  check(':checkhealth qbank reports binary, version, Neovim and qbank.toml', function()
    vim.api.nvim_set_current_buf(buf)
    vim.cmd('checkhealth qbank')
    local report = buffer_text(vim.api.nvim_get_current_buf())
    local v = vim.version()
    assert(report:find('binary: ' .. vim.fn.exepath(bin), 1, true), 'no binary path:\n' .. report)
    assert(report:find('version: qbank ', 1, true), 'no qbank --version:\n' .. report)
    assert(report:find(('Neovim %d.%d.%d'):format(v.major, v.minor, v.patch), 1, true), 'no Neovim version:\n' .. report)
    assert(report:find('qbank.toml: ', 1, true) and report:find('/qbank.toml', 1, true), 'no qbank.toml:\n' .. report)
    assert(report:find('server attached', 1, true), 'no attached server:\n' .. report)
    assert(not report:find('ERROR', 1, true), 'errors in the report:\n' .. report)
  end)

  -- Links between questions, rename, code lenses and inlay hints (issue 14).
  local links_path = dir .. '/links.md'
  local links_original = table.concat(vim.fn.readfile(links_path), '\n')
  vim.cmd('edit ' .. vim.fn.fnameescape(links_path))
  local lbuf = vim.api.nvim_get_current_buf()

  --- The first result of a request to the qbank client for `target`.
  local function ask(target, method, params)
    local responses = vim.lsp.buf_request_sync(target, method, params, WAIT)
    for _, response in pairs(responses or {}) do
      if response.err then
        error(method .. ' failed: ' .. vim.inspect(response.err))
      end
      return response.result
    end
  end

  --- The (0-based) line and UTF-16 column of the first `needle` in `target`, plus `shift`.
  local function position_of(target, needle, shift)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(target, 0, -1, false)) do
      local s = line:find(needle, 1, true)
      if s then
        return { line = i - 1, character = vim.str_utfindex(line, 'utf-16', s - 1) + (shift or 0) }
      end
    end
    error('not in the buffer: ' .. needle)
  end

  check('links.md attaches to the same client and gets its diagnostics', function()
    wait_for('the client on links.md', function()
      return qbank.client(lbuf) ~= nil
    end)
    wait_for('QB016 on links.md', function()
      return codes(lbuf).QB016 ~= nil
    end)
  end, true)

  check('go to definition on a link opens the question in the other bank', function()
    local result = ask(lbuf, 'textDocument/definition', {
      textDocument = vim.lsp.util.make_text_document_params(lbuf),
      position = position_of(lbuf, 'other.md#other-latency', 10),
    })
    local location = result and (result.uri and result or result[1])
    assert(location, 'no definition: ' .. vim.inspect(result))
    assert(location.uri:match('other%.md$'), 'definition not in other.md: ' .. location.uri)
    assert(location.range.start.line == 4, 'wrong line: ' .. vim.inspect(location.range))
  end)

  check('rename of a question id updates its metadata and every link to it', function()
    local edit = ask(lbuf, 'textDocument/rename', {
      textDocument = vim.lsp.util.make_text_document_params(lbuf),
      position = position_of(lbuf, 'id: runbook', 5),
      newName = 'latency-runbook',
    })
    assert(edit, 'no rename edit')
    vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
    local text = buffer_text(lbuf)
    assert(text:find('<!-- id: latency-runbook -->', 1, true), 'metadata not renamed:\n' .. text)
    assert(text:find('[the runbook](#latency-runbook)', 1, true), 'link not renamed:\n' .. text)
    assert(not text:find('#runbook)', 1, true), 'an old link is left:\n' .. text)
    assert(text:find('other.md#other-latency', 1, true) and text:find('(#escalation)', 1, true), 'other links changed')
  end)

  check('code lenses summarise the bank and show the duplicate in other.md', function()
    local lenses = ask(lbuf, 'textDocument/codeLens', { textDocument = vim.lsp.util.make_text_document_params(lbuf) })
    assert(lenses and lenses[1], 'no lenses on links.md')
    assert(lenses[1].command.title == '2 questions · 0 without TL;DR · 0 duplicates', lenses[1].command.title)
    local title
    wait_for('a duplicate lens on bank.md', function()
      for _, lens in ipairs(ask(buf, 'textDocument/codeLens', { textDocument = vim.lsp.util.make_text_document_params(buf) }) or {}) do
        if lens.command and lens.command.title:find('duplicate of Q1 · other.md', 1, true) then
          title = lens.command.title
        end
      end
      return title ~= nil
    end)
    assert(title:find('^exact duplicate of Q1') or title:find('^near duplicate of Q1'), title)
  end)

  check('inlay hints show the expected number (the setting is on)', function()
    local hints = ask(lbuf, 'textDocument/inlayHint', {
      textDocument = vim.lsp.util.make_text_document_params(lbuf),
      range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(lbuf), character = 0 } },
    })
    assert(hints and #hints == 1, 'expected one hint: ' .. vim.inspect(hints))
    assert(hints[1].label == '→ 2', 'label ' .. vim.inspect(hints[1].label))
    assert(hints[1].position.line == position_of(lbuf, '### 3.', 0).line, vim.inspect(hints[1].position))
  end)

  check('links.md on disk is unchanged', function()
    assert(table.concat(vim.fn.readfile(links_path), '\n') == links_original)
  end)

  vim.api.nvim_set_current_buf(buf)

  -- The original file on disk is untouched (edits stay in the buffer).
  check('bank.md on disk is unchanged', function()
    assert(table.concat(vim.fn.readfile(bank_path), '\n') == original)
  end)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  failed = failed + 1
  out('FAIL run aborted: ' .. tostring(err))
end
finish()
