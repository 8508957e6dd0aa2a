"""Backup and restore on PostgreSQL: dump, restore into an empty database, compare."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import ApplicationFactory

ROOT = Path(__file__).resolve().parents[2]


def url_for(settings_dict, name):
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    return f"postgresql://{user}@{host}:{port}/{name}"


def snapshot(url):
    """Row count of every table and every sha256 value, to compare two databases."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'public' "
                "and table_type = 'BASE TABLE' order by 1"
            )
        ]
        counts = {
            table: conn.execute(f'select count(*) from "{table}"').fetchone()[0]
            for table in tables
        }
        hashes = {}
        for table, column in conn.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'public' and column_name = 'sha256'"
        ).fetchall():
            hashes[table] = sorted(
                r[0] for r in conn.execute(f'select "{column}" from "{table}"')
            )
    return counts, hashes


@pytest.mark.postgres
def test_backup_restores_the_same_counts_and_letter_hashes(on_postgres, tmp_path):
    """scripts/backup.sh then scripts/restore.sh into an empty database: nothing is lost."""
    ApplicationFactory(submitted=True)
    ApplicationFactory()
    source = url_for(connection.settings_dict, connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    admin = url_for(connection.settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{restored_name}"')
        conn.execute(f'create database "{restored_name}"')
    try:
        dump = (
            subprocess.run(
                ["bash", "scripts/backup.sh", str(tmp_path)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
                env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": source},
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        subprocess.run(
            ["bash", "scripts/restore.sh", dump],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={
                "PATH": "/usr/bin:/bin:/usr/local/bin",
                "DATABASE_URL": url_for(connection.settings_dict, restored_name),
            },
        )
        before = snapshot(source)
        after = snapshot(url_for(connection.settings_dict, restored_name))
        assert after == before
        assert before[0]["subsidies_application"] == 2
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{restored_name}" with (force)')
