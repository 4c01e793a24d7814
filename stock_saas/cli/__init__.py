"""The operator's command line: ``python inventory.py COMMAND`` (or ``stock-saas``).

It acts with admin rights inside one tenant (``--tenant``, default ``default``); its
audit rows say source ``cli`` and the OS user. Exit codes: 0 success, 1 domain error
(one line on stderr, nothing changed), 2 usage error. Each module of this package
registers its commands (:data:`COMMANDS`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from stock_saas.bootstrap import BootstrapRefused, bootstrap
from stock_saas.cli import adjust, audit, imports, labels, reports, stock
from stock_saas.cli.common import Runner
from stock_saas.config import get_settings
from stock_saas.errors import StockSaasError
from stock_saas.security.file_modes import keep_private
from stock_saas.services import events
from stock_saas.services.core import Source
from stock_saas.services.people import DEFAULT_TENANT, ensure_tenant, operator_context
from stock_saas.tasks import triggers

__all__ = ["COMMANDS", "build_parser", "main"]

# Modules with register(commands, common) -> {name: runner}.
COMMANDS = (stock, adjust, labels, audit, reports, imports)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Runner]]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant (default: %(default)s)")
    parser = argparse.ArgumentParser(prog="inventory.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    runners: dict[str, Runner] = {}
    for module in COMMANDS:
        runners.update(module.register(commands, common))
    commands.add_parser("migrate", help="migrate the database and create the first admin")
    return parser, runners


def _run_migrate() -> None:
    result = bootstrap(required=True)
    print(f"Database is at the newest schema; tenant {result.tenant.name!r} is ready.")
    if result.admin_created:
        print(f"Created the first admin {result.admin_username!r}.")
        if result.default_password:
            print(
                "WARNING: its password is 'admin' (embedded SQLite default); set ADMIN_PASSWORD"
                " or change it before anyone else can reach this machine."
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    keep_private()  # the database it may create and the files it writes: 0600
    try:
        if args.command == "migrate":
            _run_migrate()
            return 0
        bootstrap(required=False)
        events.install_publisher()  # live dashboards of other processes see our changes
        if get_settings().queue_on_events:
            triggers.install()  # a drop below threshold alerts now, not at the next sweep
        ctx = operator_context(ensure_tenant(args.tenant), source=Source.CLI, actor_name=_os_user())
        runners[args.command](ctx, args)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    except BootstrapRefused as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    except StockSaasError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
