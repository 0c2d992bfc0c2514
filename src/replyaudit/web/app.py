"""The review page's Flask application: settings, security headers, sessions, login, CSRF."""

from __future__ import annotations

import getpass
import ipaddress
import logging
import math
import os
import secrets
import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import InternalServerError, RequestEntityTooLarge

from replyaudit.config import Settings
from replyaudit.errors import ReplyAuditError
from replyaudit.review import check_password
from replyaudit.scorecard import Scorecard, load_scorecard
from replyaudit.store import Store
from replyaudit.store_files import make_private_folders
from replyaudit.web.throttle import LoginThrottle

log = logging.getLogger(__name__)

# Sent with every response: nothing remote, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


# The longest comment or reason a reviewer may write (README, "serve, users, export").
COMMENT_MAX_CHARS = 5_000


def french_count(number: int) -> str:
    """5000 as French writes it: 5 000."""
    return f"{number:,}".replace(",", " ")


def back_link() -> tuple[str, str] | None:
    """The page a posted form came from, for a link back from an error page."""
    args = request.view_args or {}
    if "campaign" in args and "inquiry_id" in args:
        url = url_for(
            "views.case", campaign=args["campaign"], inquiry_id=args["inquiry_id"]
        )
        return url, "Retour à la demande"
    if request.endpoint == "views.file_unmatched":
        return url_for("views.unmatched"), "Retour aux courriels non rattachés"
    return None


class ServeError(ReplyAuditError):
    """The review page cannot start as configured (no reviewer on a public address...)."""

    exit_code = 2


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the page is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def login_required_for(settings: Settings) -> bool:
    """Login is mandatory off loopback; on loopback it is the review.require_login setting."""
    return settings.review.require_login or not is_loopback(settings.review.host)


def secret_key(settings: Settings) -> bytes:
    """The session signing key, created 0600 on first use."""
    path = (
        settings.review.secret_key_file
        or settings.storage.data_dir / "review-secret.key"
    )
    try:
        if path.is_file():
            key = path.read_bytes().strip()
            if len(key) >= 32:
                return key
        make_private_folders(path.parent)  # beside the raw mail: owner only
        key = secrets.token_hex(32).encode()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        os.chmod(path, 0o600)
        return key
    except OSError as exc:
        raise ServeError(
            f"{path}: expected a readable or creatable secret key file, found {exc}. "
            "Fix: set review.secret_key_file to a writable path"
        ) from None


def open_store() -> Store:
    if "store" not in g:
        g.store = Store(Path(g.settings.storage.database_path))
    store: Store = g.store
    return store


def reviewer_name() -> str:
    """The signed-in reviewer, else (no login required) the OS user name."""
    user = session.get("user")
    if user:
        return str(user)
    return getpass.getuser()


def login_gate(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.login_required and not session.get("user"):
            return redirect(url_for("login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def create_app(settings: Settings, scorecard: Scorecard | None = None) -> Flask:
    """The review page for `settings`; the database opens per request."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=None,
        # Far above COMMENT_MAX_CHARS even in 4-byte UTF-8, percent-encoded (60 kB).
        # Both limits set here: Werkzeug's own default for form fields changed between
        # 3.1.8 and 3.1.9, and a larger form must get the same French 413 page with both.
        MAX_CONTENT_LENGTH=200_000,
        MAX_FORM_MEMORY_SIZE=200_000,
    )
    CSRFProtect(app)
    card = scorecard or load_scorecard(settings.rules_dir)
    required = login_required_for(settings)
    throttle = LoginThrottle()
    app.extensions["replyaudit"] = {
        "settings": settings,
        "scorecard": card,
        "throttle": throttle,
    }

    @app.before_request
    def _bind() -> None:
        g.settings = settings
        g.scorecard = card
        g.login_required = required

    @app.teardown_appcontext
    def _close(_: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template(
            "error.html",
            title="Requête refusée",
            message="Le formulaire a expiré ou son jeton de sécurité manque. "
            "Rechargez la page et recommencez.",
        ), 400

    @app.errorhandler(404)
    def _missing(error: Exception) -> tuple[str, int]:
        return render_template(
            "error.html", title="Introuvable", message="Cette page n'existe pas."
        ), 404

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
        log.info(
            "form refused on %s: too large (%s bytes)",
            request.path,
            request.content_length,
        )
        back = back_link()
        return render_template(
            "error.html",
            title="Formulaire trop volumineux",
            message="Le formulaire envoyé dépasse la taille acceptée par la page ; rien "
            "n'a été enregistré. Un commentaire ou un motif compte "
            f"{french_count(COMMENT_MAX_CHARS)} caractères au plus : raccourcissez-le, "
            "puis renvoyez le formulaire.",
            back_url=back[0] if back else None,
            back_label=back[1] if back else None,
        ), 413

    @app.errorhandler(InternalServerError)
    def _unexpected(error: InternalServerError) -> tuple[str, int]:
        # Flask has already logged the traceback; the reviewer gets French, not Werkzeug's page.
        return render_template(
            "error.html",
            title="Erreur inattendue",
            message="La page n'a pas pu être produite à cause d'une erreur interne, "
            "consignée dans le journal du serveur. Revenez à la liste et réessayez ; "
            "si l'erreur persiste, transmettez ce journal à l'administrateur.",
        ), 500

    @app.errorhandler(sqlite3.Error)
    def _database(error: sqlite3.Error) -> tuple[str, int]:
        return render_template(
            "error.html",
            title="Base de données indisponible",
            message=f"La base {settings.storage.database_path} ne répond pas : {error}.",
        ), 500

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "current_user": session.get("user"),
            "login_required": required,
            "reviewer": reviewer_name(),
            "comment_max": COMMENT_MAX_CHARS,
            "comment_max_fr": french_count(COMMENT_MAX_CHARS),
        }

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "POST":
            name = request.form.get("name", "").strip()
            keys = [f"name:{name}", f"addr:{request.remote_addr or '-'}"]
            wait = throttle.retry_after(keys)
            if wait > 0:
                minutes = max(1, math.ceil(wait / 60))
                log.warning(
                    "login refused for %r from %s: too many failures, %d min left",
                    name,
                    request.remote_addr,
                    minutes,
                )
                flash(
                    "Trop de tentatives de connexion échouées pour ce nom ou ce poste. "
                    f"Réessayez dans {minutes} minute(s).",
                    "error",
                )
                page = render_template("login.html", title="Connexion")
                return page, 429, {"Retry-After": str(math.ceil(wait))}
            if check_password(open_store(), name, request.form.get("password", "")):
                throttle.succeed(keys[0])
                session.clear()
                session["user"] = name
                target = request.args.get("next", "")
                # Only a local path: never redirect to another site.
                if not target.startswith("/") or target.startswith("//"):
                    target = url_for("views.cases")
                return redirect(target)
            throttle.fail(keys)
            log.info("login failed for %r from %s", name, request.remote_addr)
            flash("Nom ou mot de passe incorrect.", "error")
        return render_template("login.html", title="Connexion")

    @app.route("/logout", methods=["POST"])
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login") if required else url_for("views.cases"))

    from replyaudit.web.views import views

    app.register_blueprint(views)
    return app
