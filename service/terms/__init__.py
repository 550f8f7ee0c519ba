"""Term lists: what an operator can do with the blocklist and the allowlist.

``store`` adds, removes, lists, imports and exports entries, each change in one
transaction with its row in the append-only change log; ``files`` reads and writes
the CSV format (and finds the default list shipped as ``defaults.csv``). The CLI
(``flask --app service terms``) and the admin page (``/admin/terms``) call these;
matching is :mod:`service.moderation.terms`, serving :mod:`service.serving.term_lists`.
"""
