from pathlib import Path

import pytest

from chosei.config import default_db_path, mask_url, resolve_actor, resolve_db_url


def test_cli_value_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHOSEI_DB", "sqlite:///from-env.db")
    assert resolve_db_url("sqlite:///from-cli.db") == "sqlite:///from-cli.db"
    assert resolve_db_url(None) == "sqlite:///from-env.db"


def test_default_is_the_sqlite_file_under_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CHOSEI_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "chosei" / "chosei.db"
    assert resolve_db_url(None) == f"sqlite:///{tmp_path}/chosei/chosei.db"


def test_a_bare_path_means_sqlite(tmp_path: Path) -> None:
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path}/x.db"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://ana:s3cret@db:5432/chosei", "postgresql+psycopg://ana:***@db:5432/chosei"),
        ("postgresql+psycopg://ana@db/chosei", "postgresql+psycopg://ana@db/chosei"),
        ("sqlite:////tmp/a.db", "sqlite:////tmp/a.db"),
    ],
    ids=["password", "no-password", "sqlite"],
)
def test_passwords_are_masked(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_actor_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHOSEI_USER", "env-user")
    assert resolve_actor("cli-user") == "cli-user"
    assert resolve_actor(None) == "env-user"
    monkeypatch.delenv("CHOSEI_USER")
    assert resolve_actor(None)  # the OS user, whatever it is here
