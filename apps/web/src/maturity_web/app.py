"""The Flask application: accounts, assessments, questionnaire, results."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import maturity_core as mc

from . import service
from .db import database_url, make_engine, migrate, session_factory
from .models import (
    ROLE_NAMES,
    ROLES,
    AssessmentRow,
    Attachment,
    Blob,
    Member,
    Organisation,
    Rating,
    Setting,
    Sheet,
    TailoringRow,
    User,
)
from .security import (
    MIN_PASSWORD,
    can_view,
    check_password,
    current_user,
    hash_password,
    is_lead,
    login,
    login_required,
    logout,
    member_role,
    roles,
    safe_next,
)


#: The largest upload accepted by default (bytes).
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
#: Attachment types accepted: suffix → (media type, leading bytes or None).
UPLOAD_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    ".docx": (
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
            ".document"
        ),
        b"PK\x03\x04",
    ),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}
MAX_TEXT = 20_000

bp = Blueprint("web", __name__)


@dataclass
class State:
    engine: Engine
    sessions: sessionmaker[Session]
    setup_token: str | None


def create_app(
    url: str | None = None,
    *,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    setup_token: str | None = None,
) -> Flask:
    """
    The application on the database at *url* (default: the environment's
    ``MATURITY_WEB_DATABASE_URL``, else ``maturity-web.sqlite3`` in the
    working directory).  The schema is migrated first.

    On an empty database the first visitor creates the administrator with
    *setup_token* (a fresh one is made if not given; ``serve`` prints it).
    """
    engine = make_engine(database_url(url))
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as db:
        secret = db.get(Setting, "secret_key")
        if secret is None:
            secret = Setting(key="secret_key", value=secrets.token_hex(32))
            db.add(secret)
            try:
                db.commit()
            except IntegrityError:
                db.rollback()
                secret = db.get(Setting, "secret_key")
                assert secret is not None  # noqa: S101 -- created by a peer
        has_users = (db.scalar(select(func.count(User.id))) or 0) > 0
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret.value,
        MAX_CONTENT_LENGTH=max_upload,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,
    )
    token = None if has_users else (setup_token or secrets.token_urlsafe(9))
    app.extensions["maturity_web"] = State(engine, sessions, token)
    CSRFProtect(app)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(ROLE_NAMES=ROLE_NAMES)
    return app


def state() -> State:
    from flask import current_app  # noqa: PLC0415

    return current_app.extensions["maturity_web"]  # type: ignore[no-any-return]


def db() -> Session:
    if "db" not in g:
        g.db = state().sessions()
    return g.db  # type: ignore[no-any-return]


@bp.before_app_request
def _load_user() -> Any:
    g.user = None
    uid = session.get("uid")
    if uid is not None:
        g.user = db().get(User, uid)
    if state().setup_token is not None and request.endpoint not in (
        "web.setup",
        "static",
    ):
        return redirect(url_for("web.setup"))
    return None


@bp.teardown_app_request
def _close(_exc: BaseException | None) -> None:
    session_ = g.pop("db", None)
    if session_ is not None:
        session_.close()


@bp.app_errorhandler(CSRFError)
def _csrf(e: CSRFError) -> tuple[str, int]:
    return render_template("error.html", code=400, message=e.description), 400


@bp.app_errorhandler(403)
def _forbidden(_e: Any) -> tuple[str, int]:
    return (
        render_template(
            "error.html", code=403, message="You may not see this page."
        ),
        403,
    )


@bp.app_errorhandler(404)
def _missing(_e: Any) -> tuple[str, int]:
    return render_template("error.html", code=404, message="Not found."), 404


@bp.app_errorhandler(413)
def _too_large(_e: Any) -> tuple[str, int]:
    limit = state_limit()
    return (
        render_template(
            "error.html",
            code=413,
            message=f"The upload is larger than the limit of {limit}.",
        ),
        413,
    )


def state_limit() -> str:
    from flask import current_app  # noqa: PLC0415

    size = int(current_app.config["MAX_CONTENT_LENGTH"])
    return f"{size / 1024 / 1024:.1f} MiB"


# -- accounts ------------------------------------------------------------


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> Any:
    st = state()
    if st.setup_token is None:
        return redirect(url_for("web.index"))
    error = None
    if request.method == "POST":
        form = request.form
        if not secrets.compare_digest(
            form.get("token", "").strip(), st.setup_token
        ):
            error = (
                "The setup code does not match the one maturity-web printed "
                "when it started."
            )
        else:
            error = _create_first(form)
        if error is None:
            st.setup_token = None
            return redirect(url_for("web.index"))
    return render_template("setup.html", error=error)


def _create_first(form: Any) -> str | None:
    name = form.get("organisation", "").strip()
    email = form.get("email", "").strip().lower()
    password = form.get("password", "")
    if not name or not email or "@" not in email:
        return "Give the organisation's name and your e-mail address."
    if len(password) < MIN_PASSWORD:
        return f"The password needs at least {MIN_PASSWORD} characters."
    s = db()
    org = Organisation(
        name=name,
        region=form.get("region", "").strip() or None,
        industry=form.get("industry", "").strip() or None,
    )
    s.add(org)
    s.flush()
    user = User(
        email=email,
        name=form.get("name", "").strip() or email,
        password_hash=hash_password(password),
        role="admin",
        organisation_id=org.id,
    )
    s.add(user)
    s.commit()
    login(user)
    return None


def create_admin(app: Flask, email: str, password: str, name: str) -> None:
    """Create an administrator (the ``create-admin`` command)."""
    st: State = app.extensions["maturity_web"]
    with st.sessions() as s:
        s.add(
            User(
                email=email.strip().lower(),
                name=name,
                password_hash=hash_password(password),
                role="admin",
            )
        )
        s.commit()
    st.setup_token = None


def login_view() -> Any:
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        user = db().scalar(select(User).where(User.email == email))
        if user is not None and check_password(
            user, request.form.get("password", "")
        ):
            login(user)
            return redirect(
                safe_next(request.args.get("next")) or url_for("web.index")
            )
        error = "Unknown e-mail address or wrong password."
    return render_template("login.html", error=error)


bp.add_url_rule("/login", "login", login_view, methods=["GET", "POST"])


@bp.post("/logout")
def logout_view() -> Any:
    logout()
    return redirect(url_for("web.login"))


@bp.route("/admin/users", methods=["GET", "POST"])
@roles("admin")
def users() -> Any:
    s = db()
    error = None
    if request.method == "POST":
        form = request.form
        if form.get("what") == "organisation":
            name = form.get("name", "").strip()
            if not name:
                error = "An organisation needs a name."
            else:
                s.add(
                    Organisation(
                        name=name,
                        region=form.get("region", "").strip() or None,
                        industry=form.get("industry", "").strip() or None,
                    )
                )
        else:
            error = _add_user(s, form)
        if error is None:
            try:
                s.commit()
                return redirect(url_for("web.users"))
            except IntegrityError:
                s.rollback()
                error = "That name or e-mail address is taken."
    return render_template(
        "users.html",
        error=error,
        users=s.scalars(select(User).order_by(User.id)).all(),
        organisations=s.scalars(
            select(Organisation).order_by(Organisation.name)
        ).all(),
        roles=ROLES,
    )


def _add_user(s: Session, form: Any) -> str | None:
    email = form.get("email", "").strip().lower()
    role = form.get("role", "")
    password = form.get("password", "")
    if "@" not in email:
        return "Give an e-mail address."
    if role not in ROLES:
        return f"The role must be one of {', '.join(ROLES)}."
    if len(password) < MIN_PASSWORD:
        return f"The password needs at least {MIN_PASSWORD} characters."
    org_id = form.get("organisation_id") or None
    if role == "organisation" and org_id is None:
        return "An organisation user belongs to an organisation."
    if org_id is not None and s.get(Organisation, int(org_id)) is None:
        return "No such organisation."
    s.add(
        User(
            email=email,
            name=form.get("name", "").strip() or email,
            password_hash=hash_password(password),
            role=role,
            organisation_id=int(org_id) if org_id else None,
        )
    )
    return None


# -- assessments -----------------------------------------------------------


def visible_assessments(s: Session, user: User) -> list[AssessmentRow]:
    q = select(AssessmentRow).order_by(AssessmentRow.id.desc())
    if user.role == "organisation":
        q = q.where(AssessmentRow.organisation_id == user.organisation_id)
    elif user.role != "admin":
        q = q.join(Member, Member.assessment_id == AssessmentRow.id).where(
            Member.user_id == user.id
        )
    return list(s.scalars(q).all())


@bp.get("/")
@login_required
def index() -> Any:
    s = db()
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    rows = visible_assessments(s, user)
    orgs = {o.id: o for o in s.scalars(select(Organisation)).all()}
    return render_template(
        "index.html",
        assessments=rows,
        organisations=orgs,
        packs=service.installed_packs(),
        creatable=_creatable_orgs(s, user),
    )


def _creatable_orgs(s: Session, user: User) -> list[Organisation]:
    if user.role == "organisation":
        org = s.get(Organisation, user.organisation_id)
        return [org] if org else []
    if user.role in ("admin", "lead"):
        return list(
            s.scalars(select(Organisation).order_by(Organisation.name)).all()
        )
    return []


@bp.post("/assessments")
@login_required
def create_assessment() -> Any:
    s = db()
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    form = request.form
    allowed = {o.id for o in _creatable_orgs(s, user)}
    try:
        org_id = int(form.get("organisation_id", ""))
    except ValueError:
        abort(400)
    if org_id not in allowed:
        abort(403)
    pack_id = form.get("pack", "")
    known = {p["id"]: p for p in service.installed_packs()}
    if pack_id not in known:
        flash(f"No installed pack {pack_id!r}.")
        return redirect(url_for("web.index"))
    pack = service.load(pack_id)
    profile = form.get("profile") or pack.default_profile
    if profile not in pack.profiles:
        flash(
            f"Pack {pack_id} has no profile {profile!r}; profiles: "
            f"{', '.join(pack.profiles)}."
        )
        return redirect(url_for("web.index"))
    mode = form.get("mode", "self")
    if mode not in ("self", "external") or (
        mode == "external" and user.role == "organisation"
    ):
        abort(403)
    lang = form.get("lang") or pack.language
    if lang not in (pack.languages or (pack.language,)):
        lang = pack.language
    row = AssessmentRow(
        organisation_id=org_id,
        pack=pack.id,
        pack_version=pack.version,
        profile=profile,
        lang=lang,
        mode=mode,
        date=form.get("date") or dt.datetime.now(dt.UTC).date().isoformat(),
        created_by=user.id,
        version=0,
    )
    s.add(row)
    s.flush()
    kind = "self" if mode == "self" else "consolidated"
    _new_sheet(s, row, kind, 0)
    if mode == "external":
        s.add(Member(assessment_id=row.id, user_id=user.id, role="lead"))
        _new_sheet(s, row, "assessor", user.id)
    s.commit()
    return redirect(url_for("web.assessment", aid=row.id))


def _new_sheet(s: Session, row: AssessmentRow, kind: str, owner: int) -> Sheet:
    pack = service.load(row.pack)
    sheet = Sheet(assessment_id=row.id, kind=kind, owner=owner)
    s.add(sheet)
    s.flush()
    for req in service.requirements_in_scope(pack, row.profile):
        s.add(Rating(sheet_id=sheet.id, requirement=req.id, version=0))
    return sheet


def load_assessment(aid: int) -> AssessmentRow:
    """The assessment *aid* if the user may see it (404, 403 otherwise)."""
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    row = db().get(AssessmentRow, aid)
    if row is None:
        abort(404)
    if not can_view(db(), row, user):
        abort(403)
    return row


def tailoring_of(s: Session, row: AssessmentRow) -> list[TailoringRow]:
    return list(
        s.scalars(
            select(TailoringRow)
            .where(TailoringRow.assessment_id == row.id)
            .order_by(TailoringRow.id)
        ).all()
    )


def scored_sheet(s: Session, row: AssessmentRow) -> Sheet:
    kind = "self" if row.mode == "self" else "consolidated"
    sheet = s.scalar(
        select(Sheet).where(Sheet.assessment_id == row.id, Sheet.kind == kind)
    )
    assert sheet is not None  # noqa: S101 -- made with the assessment
    return sheet


def writable_sheet(s: Session, row: AssessmentRow, which: str | None) -> Sheet:
    """The sheet the user rates on this page (403 if none)."""
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    if row.mode == "self":
        if user.role in ("admin", "organisation"):
            return scored_sheet(s, row)
        abort(403)
    if which == "consolidated":
        if is_lead(s, row, user):
            return scored_sheet(s, row)
        abort(403)
    if member_role(s, row, user) is None:
        if user.role == "admin":
            return scored_sheet(s, row)
        abort(403)
    sheet = s.scalar(
        select(Sheet).where(
            Sheet.assessment_id == row.id,
            Sheet.kind == "assessor",
            Sheet.owner == user.id,
        )
    )
    if sheet is None:
        abort(403)
    return sheet


def sheet_ratings(s: Session, sheet: Sheet) -> dict[str, Rating]:
    return {
        r.requirement: r
        for r in s.scalars(
            select(Rating).where(Rating.sheet_id == sheet.id)
        ).all()
    }


def assessors_of(s: Session, row: AssessmentRow) -> list[tuple[str, str]]:
    """The team as (name, role), lead first, for external assessments."""
    if row.mode != "external":
        return []
    members = s.execute(
        select(User.name, Member.role)
        .join(Member, Member.user_id == User.id)
        .where(Member.assessment_id == row.id)
        .order_by(Member.role.desc(), User.name)
    ).all()
    return [(n, "lead" if r == "lead" else "member") for n, r in members]


def build(
    s: Session,
    row: AssessmentRow,
    sheet: Sheet,
    *,
    one: str | None = None,
    ratings: dict[str, Rating] | None = None,
) -> mc.Assessment:
    """The library's assessment for *sheet* of *row*."""
    pack = service.load(row.pack)
    org = s.get(Organisation, row.organisation_id)
    if ratings is None:
        ratings = sheet_ratings(s, sheet)
    tail = [(t.node, t.reason) for t in tailoring_of(s, row)]
    scope = {
        r.id for r in service.requirements_in_scope(pack, row.profile, [])
    }
    team = assessors_of(s, row) if one is None else [(one, "member")]
    return service.build_assessment(
        pack=pack,
        profile=row.profile,
        organisation=org.name if org else "",
        date=row.date,
        mode=row.mode,
        assessors=team,
        tailoring=tail,
        entries=[
            {
                "id": r.requirement,
                "rating": r.rating,
                "evidence": r.evidence,
                "note": r.note,
            }
            for r in ratings.values()
            if r.requirement in scope
        ],
        source=f"assessment {row.id}",
    )


@dataclass
class View:
    """Everything a page of one assessment shows."""

    row: AssessmentRow
    pack: mc.Pack
    sheet: Sheet
    ratings: dict[str, Rating]
    tailored: list[str]
    progress: service.Progress
    live: service.Live


def view_of(s: Session, row: AssessmentRow, sheet: Sheet) -> View:
    pack = service.load(row.pack)
    ratings = sheet_ratings(s, sheet)
    tailored = [t.node for t in tailoring_of(s, row)]
    values = {k: r.rating for k, r in ratings.items()}
    prog = service.progress(pack, row.profile, tailored, values)
    scored = scored_sheet(s, row)
    if scored.id == sheet.id:
        score_prog = prog
        assessment = build(s, row, sheet, ratings=ratings)
    else:
        score_ratings = sheet_ratings(s, scored)
        score_prog = service.progress(
            pack,
            row.profile,
            tailored,
            {k: r.rating for k, r in score_ratings.items()},
        )
        assessment = build(s, row, scored, ratings=score_ratings)
    live = service.live_result(
        pack, assessment, score_prog.total - score_prog.rated
    )
    return View(row, pack, sheet, ratings, tailored, prog, live)


@bp.get("/assessments/<int:aid>")
@login_required
def assessment(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    pack = service.load(row.pack)
    prof = pack.get_profile(row.profile)
    tail = tailoring_of(s, row)
    tailored = {t.node for t in tail}
    tailorable = [
        n
        for n in pack.root.walk()
        if n.id != service.ROOT
        and n.id not in tailored
        and pack.is_tailorable(prof, n.id)
    ]
    members = s.execute(
        select(User, Member.role)
        .join(Member, Member.user_id == User.id)
        .where(Member.assessment_id == row.id)
    ).all()
    candidates = []
    if is_lead(s, row, user) and row.mode == "external":
        taken = {u.id for u, _ in members}
        candidates = [
            u
            for u in s.scalars(
                select(User).where(User.role.in_(("assessor", "lead")))
            ).all()
            if u.id not in taken
        ]
    return render_template(
        "assessment.html",
        row=row,
        pack=pack,
        org=s.get(Organisation, row.organisation_id),
        tailoring=tail,
        tailorable=tailorable,
        members=members,
        candidates=candidates,
        lead=is_lead(s, row, user),
        can_rate=_can_rate(s, row, user),
        can_tailor=_can_tailor(s, row, user),
    )


def _can_rate(s: Session, row: AssessmentRow, user: User) -> bool:
    if row.mode == "self":
        return user.role in ("admin", "organisation")
    return member_role(s, row, user) is not None or user.role == "admin"


def _can_tailor(s: Session, row: AssessmentRow, user: User) -> bool:
    if row.mode == "self":
        return user.role in ("admin", "organisation")
    return is_lead(s, row, user)


@bp.post("/assessments/<int:aid>/tailoring")
@login_required
def tailor(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    if not _can_tailor(s, row, user):
        abort(403)
    pack = service.load(row.pack)
    node = request.form.get("node", "")
    reason = request.form.get("reason", "").strip()
    if request.form.get("remove"):
        for t in tailoring_of(s, row):
            if t.node == node:
                s.delete(t)
        row.version += 1
        s.commit()
        return redirect(url_for("web.assessment", aid=aid))
    if not reason:
        flash("Tailoring a node out needs a reason.")
        return redirect(url_for("web.assessment", aid=aid))
    current = build(s, row, scored_sheet(s, row))
    candidate = current.with_tailoring(mc.Tailoring(node, reason[:MAX_TEXT]))
    problems = [
        p
        for p in mc.iter_assessment_problems(
            pack, candidate, pack.get_profile(row.profile)
        )
        if p.json_path.startswith("$.tailoring")
    ]
    if problems:
        flash("; ".join(p.message for p in problems))
        return redirect(url_for("web.assessment", aid=aid))
    s.add(TailoringRow(assessment_id=row.id, node=node, reason=reason))
    row.version += 1
    s.commit()
    return redirect(url_for("web.assessment", aid=aid))


@bp.post("/assessments/<int:aid>/members")
@login_required
def add_member(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    if row.mode != "external" or not is_lead(s, row, user):
        abort(403)
    try:
        other = s.get(User, int(request.form.get("user_id", "")))
    except ValueError:
        abort(400)
    if other is None or other.role not in ("assessor", "lead"):
        abort(400)
    if member_role(s, row, other) is None:
        s.add(Member(assessment_id=row.id, user_id=other.id, role="member"))
        _new_sheet(s, row, "assessor", other.id)
        s.commit()
    return redirect(url_for("web.assessment", aid=aid))


# -- questionnaire ---------------------------------------------------------


@bp.get("/assessments/<int:aid>/questionnaire/<int:page>")
@login_required
def questionnaire(aid: int, page: int) -> Any:
    s = db()
    row = load_assessment(aid)
    which = request.args.get("sheet")
    sheet = writable_sheet(s, row, which)
    v = view_of(s, row, sheet)
    values = {k: r.rating for k, r in v.ratings.items()}
    all_pages = service.pages(v.pack, row.profile, v.tailored, values)
    if not 1 <= page <= len(all_pages):
        abort(404)
    attachments = _attachments(s, [r.id for r in v.ratings.values()])
    return render_template(
        "questionnaire.html",
        v=v,
        row=row,
        pack=v.pack,
        lang=row.lang,
        pages=all_pages,
        page=all_pages[page - 1],
        which=which,
        attachments=attachments,
        max_upload=state_limit(),
    )


def _attachments(s: Session, rating_ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    if not rating_ids:
        return out
    for a in s.scalars(
        select(Attachment).where(Attachment.rating_id.in_(rating_ids))
    ).all():
        out.setdefault(a.rating_id, []).append(a)
    return out


@bp.post("/assessments/<int:aid>/rate")
@login_required
def rate(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    form = request.form
    which = form.get("sheet") or None
    sheet = writable_sheet(s, row, which)
    pack = service.load(row.pack)
    rid = form.get("requirement", "")
    req = pack.requirements_by_id.get(rid)
    if req is None:
        abort(400)
    rating = form.get("rating") or None
    if rating is not None and rating not in pack.rubric_of(req).ids:
        abort(400)
    try:
        seen = int(form.get("version", ""))
    except ValueError:
        abort(400)
    result = s.execute(
        update(Rating)
        .where(
            Rating.sheet_id == sheet.id,
            Rating.requirement == rid,
            Rating.version == seen,
        )
        .values(
            rating=rating,
            evidence=(form.get("evidence") or "").strip()[:MAX_TEXT] or None,
            note=(form.get("note") or "").strip()[:MAX_TEXT] or None,
            version=Rating.version + 1,
            updated_by=user.id,
            updated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        s.rollback()
        return _conflict(s, sheet, rid)
    s.commit()
    saved = s.scalar(
        select(Rating).where(
            Rating.sheet_id == sheet.id, Rating.requirement == rid
        )
    )
    assert saved is not None  # noqa: S101 -- just updated
    if request.headers.get("HX-Request"):
        v = view_of(s, row, sheet)
        return render_template(
            "saved.html", r=saved, v=v, row=row, pack=pack, which=which
        )
    return redirect(
        safe_next(request.form.get("back"))
        or url_for("web.assessment", aid=aid)
    )


def _conflict(s: Session, sheet: Sheet, rid: str) -> Any:
    now = s.scalar(
        select(Rating).where(
            Rating.sheet_id == sheet.id, Rating.requirement == rid
        )
    )
    if now is None:
        abort(400)
    who = s.get(User, now.updated_by) if now.updated_by else None
    message = (
        f"Not saved: {who.name if who else 'someone'} changed {rid} since "
        f"you opened this page (now: {now.rating or 'unrated'}). Reload "
        "the page to see their change, then rate again."
    )
    if request.headers.get("HX-Request"):
        return (
            render_template("conflict.html", message=message, r=now),
            409,
        )
    return render_template("error.html", code=409, message=message), 409


# -- attachments -----------------------------------------------------------


@bp.post("/assessments/<int:aid>/attachments")
@login_required
def upload(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    which = request.form.get("sheet") or None
    sheet = writable_sheet(s, row, which)
    rid = request.form.get("requirement", "")
    rating = s.scalar(
        select(Rating).where(
            Rating.sheet_id == sheet.id, Rating.requirement == rid
        )
    )
    file = request.files.get("file")
    if rating is None or file is None or not file.filename:
        abort(400)
    name = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = UPLOAD_TYPES.get(suffix)
    data = file.read()
    problem = None
    if kind is None:
        problem = (
            f"{name}: files of this type are not accepted; accepted: "
            f"{', '.join(sorted(UPLOAD_TYPES))}"
        )
    elif kind[1] is not None and not data.startswith(kind[1]):
        problem = f"{name}: the content is not a {suffix} file"
    elif kind[1] is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            problem = f"{name}: a {suffix} file must be UTF-8 text"
    if problem is not None:
        return render_template("error.html", code=415, message=problem), 415
    assert kind is not None  # noqa: S101 -- checked above
    digest = hashlib.sha256(data).hexdigest()
    if s.get(Blob, digest) is None:
        s.add(Blob(sha256=digest, data=data, size=len(data)))
        try:
            s.flush()
        except IntegrityError:
            s.rollback()
    s.add(
        Attachment(
            rating_id=rating.id,
            sha256=digest,
            name=name,
            content_type=kind[0],
            size=len(data),
            uploaded_by=user.id,
        )
    )
    s.commit()
    return redirect(
        safe_next(request.form.get("back"))
        or url_for("web.assessment", aid=aid)
    )


@bp.get("/assessments/<int:aid>/attachments/<int:att>")
@login_required
def attachment(aid: int, att: int) -> Any:
    s = db()
    row = load_assessment(aid)
    a = s.get(Attachment, att)
    if a is None:
        abort(404)
    rating = s.get(Rating, a.rating_id)
    sheet = s.get(Sheet, rating.sheet_id) if rating else None
    if sheet is None or sheet.assessment_id != row.id:
        abort(404)
    blob = s.get(Blob, a.sha256)
    assert blob is not None  # noqa: S101 -- foreign key
    response = send_file(
        io.BytesIO(blob.data),
        mimetype=a.content_type,
        as_attachment=True,
        download_name=a.name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -- results ---------------------------------------------------------------


@bp.get("/assessments/<int:aid>/results")
@login_required
def results(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    sheet = scored_sheet(s, row)
    v = view_of(s, row, sheet)
    plan = None
    comparison = None
    previous = None
    if v.live.result is not None and not v.live.unrated:
        plan = service.plan(v.pack, v.live.result)
        previous = _previous(s, row)
        if previous is not None:
            before = _complete_result(s, previous)
            if before is not None:
                try:
                    comparison = service.compare(before, v.live.result)
                except (mc.MaturityCoreError, ValueError):
                    comparison = None
    return render_template(
        "results.html",
        v=v,
        row=row,
        pack=v.pack,
        lang=row.lang,
        plan=plan,
        comparison=comparison,
        previous=previous,
        levels=service.level_scores(v.live.result) if v.live.result else [],
    )


def _previous(s: Session, row: AssessmentRow) -> AssessmentRow | None:
    return s.scalar(
        select(AssessmentRow)
        .where(
            AssessmentRow.organisation_id == row.organisation_id,
            AssessmentRow.pack == row.pack,
            AssessmentRow.id < row.id,
        )
        .order_by(AssessmentRow.id.desc())
        .limit(1)
    )


def _complete_result(s: Session, row: AssessmentRow) -> mc.Result | None:
    a = build(s, row, scored_sheet(s, row))
    try:
        return service.final_result(service.load(row.pack), a)
    except mc.MaturityCoreError:
        return None


def _download(text: str | bytes, name: str, mimetype: str) -> Response:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
    )


def _final(s: Session, row: AssessmentRow) -> tuple[mc.Pack, mc.Result]:
    pack = service.load(row.pack)
    a = build(s, row, scored_sheet(s, row))
    try:
        return pack, service.final_result(pack, a)
    except mc.MaturityCoreError as e:
        abort(
            Response(
                render_template("error.html", code=409, message=str(e)), 409
            )
        )


@bp.get("/assessments/<int:aid>/result.json")
@login_required
def result_json(aid: int) -> Any:
    row = load_assessment(aid)
    _, result = _final(db(), row)
    return _download(
        service.dumps(result.to_dict()),
        f"result-{aid}.json",
        "application/json",
    )


def _download_sheet(s: Session, row: AssessmentRow) -> Sheet:
    """The sheet a download shows: the one named by ``?sheet=`` (which the
    user must be allowed to write), else the sheet the result is scored
    from."""
    which = request.args.get("sheet")
    if which is None:
        return scored_sheet(s, row)
    return writable_sheet(s, row, which)


@bp.get("/assessments/<int:aid>/assessment.json")
@login_required
def assessment_json(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    sheet = _download_sheet(s, row)
    return _download(
        service.dumps(build(s, row, sheet).to_dict()),
        f"assessment-{aid}.json",
        "application/json",
    )


@bp.get("/assessments/<int:aid>/questionnaire.xlsx")
@login_required
def assessment_xlsx(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    sheet = _download_sheet(s, row)
    data = service.questionnaire_xlsx(
        service.load(row.pack), build(s, row, sheet), row.lang
    )
    return _download(
        data,
        f"assessment-{aid}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.post("/assessments/<int:aid>/import")
@login_required
def import_file(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    which = request.form.get("sheet") or None
    sheet = writable_sheet(s, row, which)
    file = request.files.get("file")
    if file is None or not file.filename:
        abort(400)
    pack = service.load(row.pack)
    name = file.filename.rsplit("/", 1)[-1]
    try:
        imported = service.read_upload(pack, name, file.read())
    except mc.MaturityCoreError as e:
        flash(f"Not imported: {e}")
        return redirect(url_for("web.assessment", aid=aid))
    if imported.pack != row.pack:
        flash(
            f"Not imported: {name} is an assessment of {imported.pack}, "
            f"this one is of {row.pack}."
        )
        return redirect(url_for("web.assessment", aid=aid))
    existing = sheet_ratings(s, sheet)
    count = 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for entry in imported.ratings:
        target = existing.get(entry.requirement)
        if target is None:
            continue
        if (
            entry.rating is not None
            and entry.rating
            not in pack.rubric_of(
                pack.requirements_by_id[entry.requirement]
            ).ids
        ):
            continue
        target.rating = entry.rating
        target.note = entry.note
        target.evidence = (
            "\n".join(e.description for e in entry.evidence) or None
        )
        target.version += 1
        target.updated_by = user.id
        target.updated_at = now
        count += 1
    s.commit()
    flash(f"Imported {count} ratings from {name}.")
    return redirect(url_for("web.assessment", aid=aid))


@bp.get("/assessments/<int:aid>/report.html")
@login_required
def report_html(aid: int) -> Any:
    row = load_assessment(aid)
    pack, result = _final(db(), row)
    return _download(
        service.report_html(pack, result, row.lang),
        f"report-{aid}.html",
        "text/html",
    )


@bp.get("/assessments/<int:aid>/report.pdf")
@login_required
def report_pdf(aid: int) -> Any:
    row = load_assessment(aid)
    pack, result = _final(db(), row)
    try:
        data = service.report_pdf(pack, result, row.lang)
    except service.PdfUnavailableError as e:
        message = f"The PDF report cannot be made on this server. {e}."
        return render_template("error.html", code=503, message=message), 503
    return _download(data, f"report-{aid}.pdf", "application/pdf")


@bp.get("/assessments/<int:aid>/radar.png")
@login_required
def radar(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    v = view_of(s, row, scored_sheet(s, row))
    if v.live.result is None:
        abort(404)
    return Response(
        service.radar(v.pack, v.live.result, row.lang), mimetype="image/png"
    )


# -- several assessors -----------------------------------------------------


@bp.route("/assessments/<int:aid>/consolidation", methods=["GET", "POST"])
@login_required
def consolidation(aid: int) -> Any:
    s = db()
    row = load_assessment(aid)
    user = current_user()
    assert user is not None  # noqa: S101 -- login_required
    if row.mode != "external" or not is_lead(s, row, user):
        abort(403)
    pack = service.load(row.pack)
    rows = s.execute(
        select(Sheet, User)
        .join(User, User.id == Sheet.owner)
        .where(Sheet.assessment_id == row.id, Sheet.kind == "assessor")
        .order_by(User.name)
    ).all()
    # Assessors who have rated nothing yet are left out.
    sheets = [
        (sh, u)
        for sh, u in rows
        if any(r.rating is not None for r in sheet_ratings(s, sh).values())
    ]
    assessments = [build(s, row, sh, one=u.name) for sh, u in sheets]
    rule = request.values.get("rule", "median")
    if rule not in ("median", "consensus"):
        abort(400)
    outcome = stats = error = None
    if len(assessments) >= 2:
        try:
            outcome = service.consolidation(pack, assessments, rule)
            stats = outcome.agreement
        except mc.MaturityCoreError as e:
            error = str(e)
    else:
        error = "Consolidation needs the ratings of at least two assessors."
    if request.method == "POST" and outcome is not None:
        target = sheet_ratings(s, scored_sheet(s, row))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for entry in outcome.assessment.ratings:
            r = target.get(entry.requirement)
            if r is None:
                continue
            r.rating = entry.rating
            r.evidence = (
                "\n".join(e.description for e in entry.evidence) or None
            )
            r.note = entry.note
            r.version += 1
            r.updated_by = user.id
            r.updated_at = now
        s.commit()
        flash(
            f"Consolidated ratings recorded by rule {rule}; review the "
            "disputed requirements in the consolidated questionnaire."
        )
        return redirect(url_for("web.consolidation", aid=aid, rule=rule))
    return render_template(
        "consolidation.html",
        row=row,
        pack=pack,
        lang=row.lang,
        outcome=outcome,
        stats=stats,
        error=error,
        rule=rule,
        assessors=[u.name for _, u in sheets],
    )


# -- population ------------------------------------------------------------


@bp.get("/population")
@roles("admin", "lead")
def population() -> Any:
    from .population import population_view  # noqa: PLC0415

    s = db()
    packs = service.installed_packs()
    pack_id = request.args.get("pack") or (packs[0]["id"] if packs else "")
    if pack_id not in {p["id"] for p in packs}:
        abort(404)
    pack = service.load(pack_id)
    profile = request.args.get("profile") or pack.default_profile
    if profile not in pack.profiles:
        abort(404)
    members: list[tuple[mc.Assessment, Organisation]] = []
    for row in s.scalars(
        select(AssessmentRow).where(
            AssessmentRow.pack == pack_id, AssessmentRow.profile == profile
        )
    ).all():
        a = build(s, row, scored_sheet(s, row))
        if any(e.rating is None for e in a.ratings):
            continue
        org = s.get(Organisation, row.organisation_id)
        assert org is not None  # noqa: S101 -- foreign key
        members.append((a, org))
    return render_template(
        "population.html",
        packs=packs,
        pack=pack,
        profile=profile,
        view=population_view(pack, profile, members),
    )


def iter_routes(aid: int, att: int = 1) -> Iterator[tuple[str, str]]:
    """Every route of one assessment, as (method, path), for access tests."""
    base = f"/assessments/{aid}"
    yield "GET", base
    yield "GET", f"{base}/questionnaire/1"
    yield "POST", f"{base}/rate"
    yield "POST", f"{base}/tailoring"
    yield "POST", f"{base}/members"
    yield "POST", f"{base}/attachments"
    yield "GET", f"{base}/attachments/{att}"
    yield "GET", f"{base}/results"
    yield "GET", f"{base}/result.json"
    yield "GET", f"{base}/assessment.json"
    yield "GET", f"{base}/questionnaire.xlsx"
    yield "POST", f"{base}/import"
    yield "GET", f"{base}/report.html"
    yield "GET", f"{base}/report.pdf"
    yield "GET", f"{base}/radar.png"
    yield "GET", f"{base}/consolidation"
    yield "POST", f"{base}/consolidation"
