"""Accounts: argon2 hashes, roles, `veille users add|list`, the demo login."""

from click.testing import CliRunner

from veille.cli import cli
from veille.web.accounts import AccountError, Accounts
from veille.web.server import accounts_for, demo_login


def test_passwords_are_hashed_and_verified(tmp_path):
    with Accounts(tmp_path / "a.sqlite") as accounts:
        accounts.add("camille", "un-long-mot-de-passe", "responder")
        assert accounts.verify("camille", "un-long-mot-de-passe").role == "responder"
        assert accounts.verify("camille", "wrong-password") is None
        assert accounts.verify("nobody", "un-long-mot-de-passe") is None
        stored = accounts._db.execute("SELECT hash FROM users").fetchone()[0]
        assert stored.startswith("$argon2id$") and "un-long-mot-de-passe" not in stored
        good = "un-long-mot-de-passe"
        bad_ones = [("x y", good, "viewer"), ("ok", "court", "viewer"), ("ok", good, "boss"),
                    ("camille", good, "viewer")]  # fmt: skip
        for bad in bad_ones:
            try:
                accounts.add(*bad)
            except AccountError:
                continue
            raise AssertionError(f"{bad} was accepted")


def test_users_cli_and_demo_login(make_config):
    loaded = make_config()
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--config", str(loaded.path), "users", "add", "lea", "--role", "viewer"],
        input="mot-de-passe-lea\nmot-de-passe-lea\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "user lea (viewer) saved" in result.output
    listed = runner.invoke(cli, ["--config", str(loaded.path), "users", "list"])
    assert "lea\tviewer" in listed.output
    again = runner.invoke(
        cli,
        ["--config", str(loaded.path), "users", "add", "lea"],
        env={"VEILLE_NEW_PASSWORD": "autre-mot-de-passe"},
    )
    assert again.exit_code == 1 and "already exists" in again.output
    name, password = demo_login(loaded)
    with accounts_for(loaded) as accounts:
        assert accounts.verify(name, password).role == "admin"
