from pckb.core.choices import AuditAction  # noqa: F401 (the audit app's own name for it)
