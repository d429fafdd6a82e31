-- User commands of the qbank plugin. The server itself is registered by
-- `require('qbank').setup()`; see `:help qbank`.
if vim.g.loaded_qbank then
  return
end
vim.g.loaded_qbank = true

vim.api.nvim_create_user_command('QbankCheckWorkspace', function()
  require('qbank').check_workspace(0)
end, { desc = 'qbank: check every bank in the workspace (qbank.checkWorkspace)' })

vim.api.nvim_create_user_command('QbankDuplicates', function()
  require('qbank').duplicates(0)
end, { desc = 'qbank: duplicates of the question under the cursor, into the quickfix list' })
