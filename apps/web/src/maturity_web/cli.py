"""
The ``maturity-web`` command: ``serve`` and ``create-admin``.

Exit status: 0 success, 1 invalid input, 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from .db import DATABASE_ENV, database_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maturity-web",
        description="A self-hosted web assessment service on maturity-core.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark the session cookie Secure (when served over HTTPS)",
    )
    admin = sub.add_parser("create-admin", help="create an administrator")
    admin.add_argument("email")
    admin.add_argument("--name", default=None)
    for p in (serve, admin):
        p.add_argument(
            "--database-url",
            default=None,
            help=f"SQLAlchemy database URL (default: ${DATABASE_ENV}, else "
            "a SQLite file maturity-web.sqlite3 in the working directory)",
        )
        p.add_argument(
            "--max-upload-mb",
            type=float,
            default=10.0,
            help="the largest upload accepted, in MiB (default 10)",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .app import create_admin, create_app  # noqa: PLC0415

    url = database_url(args.database_url)
    try:
        app = create_app(url, max_upload=int(args.max_upload_mb * 1024 * 1024))
    except Exception as e:  # noqa: BLE001 -- one line, no traceback
        print(
            f"maturity-web: cannot open the database {_safe(url)}: "
            f"{type(e).__name__}: {str(e).splitlines()[0]}",
            file=sys.stderr,
        )
        return 1
    if args.command == "create-admin":
        password = os.environ.get("MATURITY_WEB_ADMIN_PASSWORD") or (
            getpass.getpass("Password (at least 10 characters): ")
        )
        if len(password) < 10:
            print(
                "maturity-web: the password needs at least 10 characters",
                file=sys.stderr,
            )
            return 1
        try:
            create_admin(app, args.email, password, args.name or args.email)
        except Exception as e:  # noqa: BLE001 -- one line, no traceback
            print(
                f"maturity-web: {args.email}: not created "
                f"({type(e).__name__}; is the address taken?)",
                file=sys.stderr,
            )
            return 1
        print(f"administrator {args.email} created")
        return 0
    from waitress import serve  # noqa: PLC0415

    app.config["SESSION_COOKIE_SECURE"] = args.secure_cookies

    state = app.extensions["maturity_web"]
    print(
        f"maturity-web on http://{args.host}:{args.port}/ "
        f"(database {_safe(url)})",
        flush=True,
    )
    if state.setup_token is not None:
        print(
            "First start: open the address above and enter the setup code "
            f"{state.setup_token} to create the administrator (or run "
            "`maturity-web create-admin EMAIL`).",
            flush=True,
        )
    serve(app, host=args.host, port=args.port, threads=args.threads)
    return 0


def _safe(url: str) -> str:
    """*url* without its password."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
