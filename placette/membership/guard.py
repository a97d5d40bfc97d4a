"""The database half of the append-only ledger: the SQL of the triggers (migration 0002) and,
on SQLite, the per-connection function the triggers call.

- PostgreSQL: a BEFORE UPDATE OR DELETE trigger refuses any DELETE, and any UPDATE that changes
  a column other than `holder_id`/`counterparty_id` (a contact merge may re-point a movement to
  the surviving record of the same person). TRUNCATE is not a row operation: production must not
  grant it to the application role (docs/membership.md).
- SQLite: the same two rules as triggers whose WHEN clause calls `placette_ledger_locked()`, a
  function Placette registers on each connection. Another client (the sqlite3 shell) does not
  have the function, so its UPDATE or DELETE fails too. The only statement Placette lets
  through is the whole-table wipe `DELETE FROM "membership_movement"` that Django's `flush`
  sends between TransactionTestCase tests — the SQLite counterpart of PostgreSQL's TRUNCATE.
"""

import threading
from contextlib import contextmanager

from placette.membership.models import LEDGER_IMMUTABLE_MESSAGE, MOVEMENT_IMMUTABLE

TABLE = "membership_movement"
_state = threading.local()

_changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in MOVEMENT_IMMUTABLE)
_message = LEDGER_IMMUTABLE_MESSAGE.replace("'", "''")

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN placette_ledger_locked() AND ({_changed})
    BEGIN SELECT RAISE(ABORT, '{_message}'); END;""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN placette_ledger_locked()
    BEGIN SELECT RAISE(ABORT, '{_message}'); END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]

_old = ", ".join(f'OLD."{c}"' for c in MOVEMENT_IMMUTABLE)
_new = ", ".join(f'NEW."{c}"' for c in MOVEMENT_IMMUTABLE)
POSTGRESQL_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR ROW({_new}) IS DISTINCT FROM ROW({_old}) THEN
            RAISE EXCEPTION '{_message}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();""",
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]

_FLUSH_STATEMENT = f'DELETE FROM "{TABLE}";'


def _locked() -> int:
    return 0 if getattr(_state, "unlocked", False) else 1


@contextmanager
def ledger_wipe_allowed():
    """Let a whole-table wipe through (Django's flush between tests). Never used by services."""
    previous = getattr(_state, "unlocked", False)
    _state.unlocked = True
    try:
        yield
    finally:
        _state.unlocked = previous


def _flush_wrapper(execute, sql, params, many, context):
    if sql.strip() == _FLUSH_STATEMENT:
        with ledger_wipe_allowed():
            return execute(sql, params, many, context)
    return execute(sql, params, many, context)


def on_connection_created(sender, connection, **kwargs) -> None:
    """Register the trigger function on each new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("placette_ledger_locked", 0, _locked)
    if _flush_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_flush_wrapper)


def install(apps, schema_editor) -> None:
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)
