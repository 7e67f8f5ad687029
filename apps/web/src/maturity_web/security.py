"""Passwords, roles and the checks every route makes."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, g, redirect, request, session, url_for

from .models import AssessmentRow, Member, User


_hasher = PasswordHasher()  # Argon2id with the library's current defaults
F = TypeVar("F", bound=Callable[..., Any])
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def current_user() -> User | None:
    user: User | None = g.get("user")
    return user


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("web.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def roles(*allowed: str) -> Callable[[F], F]:
    """Only users with one of *allowed* roles (403 for the others)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("web.login", next=request.path))
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def member_role(db: Any, assessment: AssessmentRow, user: User) -> str | None:
    row = db.get(Member, (assessment.id, user.id))
    return row.role if row else None


def can_view(db: Any, assessment: AssessmentRow, user: User) -> bool:
    """Administrators, the organisation's users and assigned assessors."""
    if user.role == "admin":
        return True
    if user.role == "organisation":
        return user.organisation_id == assessment.organisation_id
    return member_role(db, assessment, user) is not None


def is_lead(db: Any, assessment: AssessmentRow, user: User) -> bool:
    return user.role == "admin" or member_role(db, assessment, user) == "lead"


def login(user: User) -> None:
    session.clear()
    session["uid"] = user.id
    session.permanent = True


def logout() -> None:
    session.clear()
    login_user_none()


def login_user_none() -> None:
    g.user = None


def safe_next(target: str | None) -> str | None:
    """A local path to go on to after login, never another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None
