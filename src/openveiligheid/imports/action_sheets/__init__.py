"""Round trip of an action plan through Excel: upload an edited export, preview, confirm.

Lives in imports (above actions) because it keeps the file in imports.Upload between preview
and confirmation; the comparison itself is actions.services.import_actions_xlsx, which takes bytes.
"""
