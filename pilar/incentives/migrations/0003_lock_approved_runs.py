"""An approved run is locked in the database too: its row and its lines refuse updates and new lines.

Deletes are refused by the services (an approved run is never discarded), not by a trigger, so that
emptying a test or demo database (``flush``) keeps working on both databases.

SQLite drops a table's triggers when a migration rebuilds the table (most field changes do): such a
migration must create them again, as 0004 does.
"""

from django.db import migrations

LOCKED = "payroll run is approved and locked"

SQLITE = [
    f"""CREATE TRIGGER incentives_run_locked BEFORE UPDATE ON incentives_payrollrun
        WHEN OLD.status = 'disetujui'
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER incentives_line_locked_update BEFORE UPDATE ON incentives_payrollline
        WHEN (SELECT status FROM incentives_payrollrun WHERE id = OLD.run_id) = 'disetujui'
          OR (SELECT status FROM incentives_payrollrun WHERE id = NEW.run_id) = 'disetujui'
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER incentives_line_locked_insert BEFORE INSERT ON incentives_payrollline
        WHEN (SELECT status FROM incentives_payrollrun WHERE id = NEW.run_id) = 'disetujui'
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS incentives_run_locked",
    "DROP TRIGGER IF EXISTS incentives_line_locked_update",
    "DROP TRIGGER IF EXISTS incentives_line_locked_insert",
]

POSTGRES = [
    f"""CREATE FUNCTION incentives_refuse_locked_run() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'disetujui' THEN RAISE EXCEPTION '{LOCKED}'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION incentives_refuse_locked_line() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM incentives_payrollrun WHERE id = NEW.run_id AND status = 'disetujui')
             OR (TG_OP = 'UPDATE' AND EXISTS (
                 SELECT 1 FROM incentives_payrollrun WHERE id = OLD.run_id AND status = 'disetujui'))
          THEN RAISE EXCEPTION '{LOCKED}'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER incentives_run_locked BEFORE UPDATE ON incentives_payrollrun
        FOR EACH ROW EXECUTE FUNCTION incentives_refuse_locked_run()""",
    """CREATE TRIGGER incentives_line_locked BEFORE INSERT OR UPDATE ON incentives_payrollline
        FOR EACH ROW EXECUTE FUNCTION incentives_refuse_locked_line()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS incentives_line_locked ON incentives_payrollline",
    "DROP TRIGGER IF EXISTS incentives_run_locked ON incentives_payrollrun",
    "DROP FUNCTION IF EXISTS incentives_refuse_locked_line()",
    "DROP FUNCTION IF EXISTS incentives_refuse_locked_run()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0002_rates")]

    operations = [migrations.RunPython(forwards, backwards)]
