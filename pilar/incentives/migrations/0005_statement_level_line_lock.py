"""PostgreSQL: the lock on an approved run's lines is checked once per statement, not once per row.

A run writes up to 100,000 lines in one COPY; a row trigger ran a look-up of the run for each of them.
The statement triggers see the inserted or updated rows as transition tables and check them in one join.
SQLite keeps its row triggers (it has no statement triggers).
"""

from importlib import import_module

from django.db import migrations

lock = import_module("pilar.incentives.migrations.0003_lock_approved_runs")

FORWARD = [
    "DROP TRIGGER IF EXISTS incentives_line_locked ON incentives_payrollline",
    "DROP FUNCTION IF EXISTS incentives_refuse_locked_line()",
    f"""CREATE FUNCTION incentives_refuse_new_lines_of_locked_run() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM new_rows n JOIN incentives_payrollrun r ON r.id = n.run_id
                     WHERE r.status = 'disetujui')
          THEN RAISE EXCEPTION '{lock.LOCKED}'; END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION incentives_refuse_changed_lines_of_locked_run() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM new_rows n JOIN incentives_payrollrun r ON r.id = n.run_id
                     WHERE r.status = 'disetujui')
             OR EXISTS (SELECT 1 FROM old_rows o JOIN incentives_payrollrun r ON r.id = o.run_id
                        WHERE r.status = 'disetujui')
          THEN RAISE EXCEPTION '{lock.LOCKED}'; END IF;
          RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER incentives_line_locked_insert AFTER INSERT ON incentives_payrollline
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION incentives_refuse_new_lines_of_locked_run()""",
    """CREATE TRIGGER incentives_line_locked_update AFTER UPDATE ON incentives_payrollline
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION incentives_refuse_changed_lines_of_locked_run()""",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS incentives_line_locked_insert ON incentives_payrollline",
    "DROP TRIGGER IF EXISTS incentives_line_locked_update ON incentives_payrollline",
    "DROP FUNCTION IF EXISTS incentives_refuse_new_lines_of_locked_run()",
    "DROP FUNCTION IF EXISTS incentives_refuse_changed_lines_of_locked_run()",
    lock.POSTGRES[1],
    lock.POSTGRES[3],
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0004_line_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
