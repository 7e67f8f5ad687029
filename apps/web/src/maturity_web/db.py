"""The database: engine, migrations on start, sessions."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


#: The environment variable that names the database.
DATABASE_ENV = "MATURITY_WEB_DATABASE_URL"
#: The embedded default: a SQLite file in the working directory.
DEFAULT_FILE = "maturity-web.sqlite3"


def database_url(given: str | None = None) -> str:
    """The URL given, else the environment's, else the SQLite default."""
    url = given or os.environ.get(DATABASE_ENV)
    if url:
        if url.startswith("postgresql://"):
            # psycopg 3, the maintained driver.
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return "sqlite:///" + str(Path.cwd() / DEFAULT_FILE)


def make_engine(url: str) -> Engine:
    """An engine for *url*; SQLite waits for locks and enforces keys."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(
        url, pool_size=10, max_overflow=20, pool_pre_ping=True
    )


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic)."""
    config = Config()
    config.set_main_option(
        "script_location", str(files("maturity_web") / "migrations")
    )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
