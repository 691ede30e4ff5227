"""The tamper-evident audit trail: every change through a service appends one hash-chained event."""
