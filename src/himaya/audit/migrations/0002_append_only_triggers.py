"""Refuse changes to the audit log in the database itself.

UPDATE is refused on both databases, DELETE on PostgreSQL (the production
database). TRUNCATE, which needs the table owner's rights, stays possible so
that test databases can be emptied; so does DELETE on SQLite, whose test
databases are emptied with DELETE. The model refuses deletes everywhere.
"""

from typing import Any

from django.db import migrations

TABLE = "audit_auditentry"

SQLITE = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",

]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update"]

POSTGRESQL = [
    """CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER audit_no_change ON {TABLE}",
    "DROP FUNCTION audit_append_only()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
