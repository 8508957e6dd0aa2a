"""Backup and restore on PostgreSQL: dump, restore into an empty database, compare.

The backup holds real beschikkingen: their PDFs live in a private FileSystemStorage in
a temporary directory (the test settings keep files in memory), so ``backup.sh`` packs
them and ``restore.sh`` unpacks them, and each restored file is checked against the
SHA-256 stored with its letter.
"""

import hashlib
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.storage import storages
from django.db import connection

from beoordeling.decisions.services import decisions as services
from beoordeling.models import Decision
from subsidies.models import Application, Document
from tests.factories import (
    ApplicationFactory,
    fixed_round,
)

ROOT = Path(__file__).resolve().parents[2]
PATH = "/usr/bin:/bin:/usr/local/bin"


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
                "select table_name from information_schema.tables "
                "where table_schema = 'public' and table_type = 'BASE TABLE' order by 1"
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


def stored_files(url):
    """``(file name, sha256 of the document, sha256 of its decision)`` per document."""
    query = (
        f'select doc.file, doc.sha256, dec.sha256 from "{Document._meta.db_table}" doc '
        f'left join "{Decision._meta.db_table}" dec on dec.document_id = doc.id '
        "order by doc.file"
    )
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(script, *args, database_url, private_root):
    return subprocess.run(
        ["bash", f"scripts/{script}", *map(str, args)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={
            "PATH": PATH,
            "DATABASE_URL": database_url,
            "DJANGO_PRIVATE_MEDIA_ROOT": str(private_root),
        },
    ).stdout


@pytest.fixture
def private_root(tmp_path, settings, monkeypatch):
    """Private files on disk for this test, where ``backup.sh`` finds them."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    # The field resolved its storage when the model was loaded: point it at the disk.
    monkeypatch.setattr(
        Document._meta.get_field("file"), "storage", storages["private"]
    )
    return root


def letters_of_a_decided_round():
    """A round decided through a fixed run, with its two beschikkingen made."""
    _round, applications, decider = fixed_round(count=2, ceiling=500_000)
    return [
        services.decision_issue(application=application, actor=decider, notify=False)[0]
        for application in applications
    ]


@pytest.mark.postgres
def test_backup_restores_the_same_counts_letter_hashes_and_letter_files(
    on_postgres, tmp_path, private_root
):
    """scripts/backup.sh then scripts/restore.sh into an empty database: nothing is lost.

    Same row count in every table, the same SHA-256 values, and every restored private
    file (the beschikkingen) has the SHA-256 recorded with it.
    """
    decisions = letters_of_a_decided_round()
    ApplicationFactory()  # a concept, without letter
    letter_hashes = sorted(decision.sha256 for decision in decisions)
    assert sorted(d.kind for d in decisions) == ["afwijzing_budget", "verlening"]
    for decision in decisions:
        on_disk = private_root / decision.document.file.name
        assert sha256_of(on_disk) == decision.sha256 == decision.document.sha256

    source = url_for(connection.settings_dict, connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = url_for(connection.settings_dict, restored_name)
    restored_root = tmp_path / "restored-private"
    admin = url_for(connection.settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{restored_name}"')
        conn.execute(f'create database "{restored_name}"')
    try:
        backups = tmp_path / "backup"
        out = run("backup.sh", backups, database_url=source, private_root=private_root)
        dump = out.strip().splitlines()[-1]
        (archive,) = backups.glob("private-*.tar.gz")
        run(
            "restore.sh",
            dump,
            archive,
            database_url=restored,
            private_root=restored_root,
        )
        before = snapshot(source)
        after = snapshot(restored)
        assert after == before
        counts, hashes = before
        assert counts[Application._meta.db_table] == 3
        assert counts[Decision._meta.db_table] == 2
        assert hashes[Decision._meta.db_table] == letter_hashes
        assert hashes[Document._meta.db_table] == letter_hashes

        files = stored_files(restored)
        assert files == stored_files(source)
        assert len(files) == 2
        for name, document_hash, decision_hash in files:
            restored_file = restored_root / name
            assert restored_file.is_file(), name
            assert sha256_of(restored_file) == document_hash == decision_hash
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{restored_name}" with (force)')
