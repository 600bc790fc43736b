"""A database target's connection parameters: one set, read by the connection and by pg_dump's environment."""

from pilar.ops.database import Target


def test_the_environment_carries_the_same_parameters_as_the_connection(monkeypatch):
    monkeypatch.delenv("PGPORT", raising=False)
    target = Target("postgresql", "pilar", user="pilar", password="rahasia", host="db", port="")
    assert target.conninfo() == {"dbname": "pilar", "user": "pilar", "password": "rahasia", "host": "db"}
    env = target.libpq_env("pilar_restore")
    assert env["PGDATABASE"] == "pilar_restore"
    assert (env["PGUSER"], env["PGPASSWORD"], env["PGHOST"]) == ("pilar", "rahasia", "db")
    assert "PGPORT" not in env  # an empty parameter is left to libpq's default
