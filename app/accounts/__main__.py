"""Accounts from the command line: the first instructor of a new classroom server, and a new
password for an instructor who lost theirs (nobody can reset an instructor from a page).

    python -m app.accounts create-instructor <login> [--name "Display name"] [--prompt]
    python -m app.accounts reset-password <login>

The database is ``VPCLAB_DATABASE_URL``'s (migrated first unless ``VPCLAB_AUTO_MIGRATE=false``).
A generated password is printed once; it must be changed at first sign-in.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.config import get_settings
from app.db.migrate import upgrade
from app.db.session import make_engine

from .store import Accounts, Refused, check_new_password, normalize_login


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.accounts", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-instructor", help="create an instructor account")
    create.add_argument("login")
    create.add_argument("--name", default="", help="the name shown in the lab")
    create.add_argument(
        "--prompt", action="store_true", help="type the password instead of generating one"
    )
    reset = commands.add_parser("reset-password", help="give an account a new generated password")
    reset.add_argument("login")
    args = parser.parse_args(argv)

    settings = get_settings()
    engine = make_engine(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        if settings.auto_migrate:
            upgrade(engine)
        accounts = Accounts(engine, session_hours=settings.session_hours)
        if args.command == "create-instructor":
            password = None
            if args.prompt:
                password = getpass.getpass("Password: ")
                check_new_password(
                    password, getpass.getpass("Again: "), normalize_login(args.login)
                )
            made = accounts.create(
                args.login,
                role="instructor",
                display_name=args.name,
                password=password,
                must_change_password=not args.prompt,
            )
            print(f"Created the instructor {made.login} (id {made.id}).")
            if not args.prompt:
                print("First password (shown once; changed at first sign-in):")
                print(made.password)
        else:
            account = accounts.find(args.login)
            if account is None or account.id is None or account.password_hash is None:
                print(
                    f"No account can sign in as {normalize_login(args.login)!r}.", file=sys.stderr
                )
                return 1
            password = accounts.reset_password(account.id)
            print(f"New password for {account.login} (shown once; changed at next sign-in):")
            print(password)
        if settings.mode != "classroom":
            print("Note: the server signs nobody in until VPCLAB_MODE=classroom.", file=sys.stderr)
    except Refused as refused:
        print(str(refused), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
