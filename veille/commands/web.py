"""``veille web`` (the community manager's workspace) and ``veille users`` (its accounts)."""

from __future__ import annotations

import click

from veille.commands.common import loaded_config
from veille.web.accounts import ROLES


@click.command("web")
@click.option("--host", help="address to listen on (default: web.host, 127.0.0.1)")
@click.option("--port", type=click.IntRange(1, 65535), help="default: web.port (8080)")
@click.pass_context
def web(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the web workspace: inbox, search, dashboard (accounts: `veille users add`)."""
    from veille.web.server import accounts_for, serve

    loaded = loaded_config(ctx)
    host = host or loaded.config.web.host
    port = port or loaded.config.web.port
    with accounts_for(loaded) as accounts:
        if not accounts.users():
            click.echo("no account yet: create one with `veille users add NAME --role admin`", err=True)
    click.echo(f"Veille web workspace: http://{host}:{port}  (Ctrl+C to stop)")
    serve(loaded, host, port)


@click.group("users")
def users() -> None:
    """Accounts of the web workspace (roles: viewer, responder, admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="responder", show_default=True)
@click.option("--replace", is_flag=True, help="change the password and role of an existing user")
@click.password_option(
    envvar="VEILLE_NEW_PASSWORD", help="prompted for when not given (or $VEILLE_NEW_PASSWORD)"
)
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, replace: bool, password: str) -> None:
    """Create the account NAME (its password hashed with argon2, never stored)."""
    from veille.web.server import accounts_for

    with accounts_for(loaded_config(ctx)) as accounts:
        user = accounts.add(name, password, role, replace=replace)
    click.echo(f"user {user.name} ({user.role}) saved")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List the accounts and their roles."""
    from veille.web.server import accounts_for

    with accounts_for(loaded_config(ctx)) as accounts:
        for user in accounts.users():
            click.echo(f"{user.name}\t{user.role}")


def register(cli: click.Group) -> None:
    cli.add_command(web)
    cli.add_command(users)
