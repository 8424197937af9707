"""Alembic migrations shipped inside the package, configured from code.

`HEAD_REVISION` lets every command check the schema with one query and without importing
alembic; a test asserts it equals the head of `versions/`.
"""

HEAD_REVISION = "0011"
