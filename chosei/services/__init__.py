"""Service functions: one per use case, each taking a session and plain arguments.

Services may `flush()`, never `commit()`: the command that calls them owns the transaction.
"""
