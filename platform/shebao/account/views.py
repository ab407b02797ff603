"""Account pages: thin views that parse a form, call the services and render.

Each view ends its unit of work: ``unit_of_work()`` for work that cannot be refused,
``unit_of_work_keeping_attempts()`` around services that may refuse (a refusal changes
nothing, but a failed attempt's count is kept). A captcha check is a unit of work of its own,
so the challenge is used up whatever happens next.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    after_this_request,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.extensions import limiter
from ..core.transactions import unit_of_work
from ..web.display import safe_return_path
from ..web.templating import render
from . import captcha, notices, sessions
from .errors import AccountError
from .forms import (
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    RecoverAnswerForm,
    RecoverStartForm,
    RegisterCardForm,
    RegisterSmsForm,
    RegistrationInfoForm,
    SecurityQuestionsForm,
)
from .services import login as login_service
from .services import recovery as recovery_service
from .services import registration as registration_service
from .services import settings as settings_service
from .view_support import (
    attach,
    end_session,
    render_not_offered,
    safe_next,
    start_session,
    unit_of_work_keeping_attempts,
)

blueprint = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")

POST_LIMIT = "30/minute;200/hour"
#: The SMS gateway did not take the text (jobs inline): it is kept for an operator to resend.
SMS_NOT_SENT = _l(
    "The text message could not be sent just now. Please try again in a few minutes; if it "
    "still does not arrive, ask at a social insurance service hall."
)
SMS_LIMIT = "5/minute;30/hour"


@blueprint.before_request
def _no_store_posted_forms():
    """A form shown again after a POST holds what was typed (ID number, name, phone): no caching."""
    if request.method == "POST":
        g.personal_data = True


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = LoginForm()
    error = None
    refresh = form.refresh_captcha.data if form.is_submitted() else None
    if refresh in ("picture", "audio"):
        # "Show another picture" / "Listen" without JavaScript: the form comes back with the
        # ID number (never the password) and a new challenge; no login is attempted.
        captcha.choose(audio=refresh == "audio")
    elif form.validate_on_submit():
        with unit_of_work():
            solved = captcha.check(g.city, form.captcha.data)
        if not solved:
            error = login_service.neutral_login_message()
        else:
            try:
                with unit_of_work_keeping_attempts():
                    account = login_service.authenticate(
                        g.city, form.id_number.data, form.password.data
                    )
            except AccountError as refusal:
                error = refusal.message
            else:
                start_session(account)
                _recognise_device(account)
                if account.must_change_password:
                    flash(_("Please set your own password before you continue."), "info")
                    return redirect(url_for("account.change_password"))
                return redirect(safe_next() or url_for("portal.home"))
    form.captcha.data = ""
    return render(
        "account/login.html",
        title=_("Log in"),
        form=form,
        error=error,
        captcha_enabled=captcha.enabled(),
        captcha_audio=captcha.audio_chosen(),
    )


def _recognise_device(account) -> None:
    """Keep this browser's device cookie; a login from a new one becomes a message."""
    with unit_of_work():
        token = notices.recognise_device(
            g.city, account, request.cookies.get(notices.DEVICE_COOKIE)
        )

    @after_this_request
    def keep_device_cookie(response: Response) -> Response:
        response.set_cookie(
            notices.DEVICE_COOKIE,
            token,
            max_age=notices.DEVICE_COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response


@blueprint.route("/captcha.png", defaults={"medium": "png"})
@blueprint.route("/captcha.wav", defaults={"medium": "wav"})
@limiter.limit("60/minute")
def captcha_image(medium: str):
    """A new challenge's picture (digits-only after ``?audio=1`` or once sound was asked for),
    or the sound of the digits in the picture: each served once, never cached."""
    with unit_of_work():
        if medium == "wav":
            body, mimetype = captcha.sound(g.city), "audio/wav"
        else:
            audio = request.args.get("audio") == "1"
            body, mimetype = captcha.new_challenge(g.city, audio=audio), "image/png"
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/register", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def register():
    registration = g.city.config.auth.registration
    if registration is None:
        return render_not_offered()
    method = request.args.get("method", registration.methods[0])
    if method not in registration.methods:
        method = registration.methods[0]
    form = RegisterCardForm() if method == "card" else RegisterSmsForm()
    error = None
    if method == "sms" and form.is_submitted() and form.send_code.data:
        # Asking for a code needs only who you are and the phone, not the passwords yet.
        checked = [
            field.validate(form)
            for field in (form.csrf_token, form.id_number, form.name, form.phone)
        ]
        if all(checked):
            try:
                with unit_of_work_keeping_attempts():
                    sent = registration_service.send_registration_code(
                        g.city,
                        form.id_number.data,
                        form.name.data,
                        form.phone.data,
                        address=request.remote_addr,
                    )
            except AccountError as refusal:
                error = attach(form, refusal)
            else:
                if not sent:
                    flash(str(SMS_NOT_SENT), "error")
                else:
                    flash(
                        _(
                            "An SMS code has been sent to %(phone)s. It is valid for %(minutes)s minutes.",
                            phone=form.phone.data,
                            minutes=g.city.config.auth.sms.code_ttl_seconds // 60,
                        ),
                        "info",
                    )
    elif form.validate_on_submit():
        try:
            if method == "sms" and not form.code.data:
                raise AccountError(
                    _('Enter the SMS code, or press "Get a free SMS code" first.'), "code"
                )
            with unit_of_work_keeping_attempts():
                registration_service.register(
                    g.city,
                    method,
                    id_number=form.id_number.data,
                    name=form.name.data,
                    password=form.password.data,
                    confirm=form.confirm.data,
                    phone=form.phone.data,
                    email=getattr(form, "email", None) and form.email.data,
                    card_number=getattr(form, "card_number", None) and form.card_number.data,
                    code=getattr(form, "code", None) and form.code.data,
                    address=request.remote_addr,
                )
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            flash(_("Registration complete. Please log in."), "success")
            return redirect(url_for("account.login"))
    return render(
        "account/register.html",
        title=_("Register"),
        form=form,
        method=method,
        methods=registration.methods,
        error=error,
    )


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(SMS_LIMIT, methods=["POST"])
def forgot_password():
    if not g.city.config.auth.recovery.sms:
        return render_not_offered()
    form = ForgotPasswordForm()
    sent = False
    if form.validate_on_submit():
        with unit_of_work():
            recovery_service.reset_password_by_sms(
                g.city, form.id_number.data, form.phone.data, address=request.remote_addr
            )
        sent = True
    return render("account/forgot_password.html", title=_("Forgot password"), form=form, sent=sent)


@blueprint.route("/recover", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def recover():
    if not g.city.config.auth.recovery.security_questions:
        return render_not_offered()
    start = RecoverStartForm(prefix="start")
    answer = RecoverAnswerForm(prefix="answer")
    error = None
    questions = None
    if request.method == "POST" and "answer-id_number" in request.form:
        questions = recovery_service.recovery_questions(g.city, answer.id_number.data or "")
        if answer.validate_on_submit():
            answers = [answer.answer1.data, answer.answer2.data, answer.answer3.data]
            try:
                with unit_of_work_keeping_attempts():
                    recovery_service.recover_by_questions(
                        g.city,
                        answer.id_number.data,
                        answers[: len(questions)],
                        answer.new_password.data,
                        answer.confirm.data,
                    )
            except AccountError as refusal:
                error = attach(answer, refusal)
            else:
                flash(_("Your new password is set. Please log in with it."), "success")
                return redirect(url_for("account.login"))
    elif start.validate_on_submit():
        questions = recovery_service.recovery_questions(g.city, start.id_number.data)
        answer.id_number.data = start.id_number.data
    return render(
        "account/recover.html",
        title=_("Recover your password"),
        start=start,
        answer=answer,
        questions=questions,
        error=error,
    )


@blueprint.route("/change-password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            with unit_of_work_keeping_attempts():
                settings_service.change_password(
                    g.city,
                    current_user._get_current_object(),
                    form.old_password.data,
                    form.new_password.data,
                    form.confirm.data,
                )
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            start_session(current_user._get_current_object())
            flash(
                _(
                    "Your password has been changed. Other sessions of this account have been logged out."
                ),
                "success",
            )
            return redirect(url_for("portal.home"))
    forced = current_user.must_change_password
    return render(
        "account/change_password.html",
        title=_("Change password"),
        form=form,
        error=error,
        forced=forced,
    )


@blueprint.route("/registration-info", methods=["GET", "POST"])
def registration_info():
    account = current_user._get_current_object()
    form = RegistrationInfoForm(data={"phone": account.phone, "email": account.email})
    error = None
    if form.validate_on_submit():
        try:
            if form.send_code.data:
                with unit_of_work_keeping_attempts():
                    sent = settings_service.send_phone_change_code(
                        g.city, account, form.phone.data, address=request.remote_addr
                    )
                if sent:
                    flash(
                        _("An SMS code has been sent to %(phone)s.", phone=form.phone.data), "info"
                    )
                else:
                    flash(str(SMS_NOT_SENT), "error")
            else:
                with unit_of_work_keeping_attempts():
                    settings_service.change_registration_info(
                        g.city, account, form.phone.data, form.email.data, form.code.data
                    )
                flash(_("Your registration information has been saved."), "success")
                return redirect(url_for("account.registration_info"))
        except AccountError as refusal:
            error = attach(form, refusal)
    return render(
        "account/registration_info.html",
        title=_("Change registration information"),
        form=form,
        error=error,
        account=account,
    )


@blueprint.route("/security-questions", methods=["GET", "POST"])
def security_questions():
    if not g.city.config.auth.recovery.security_questions:
        return render_not_offered()
    account = current_user._get_current_object()
    form = SecurityQuestionsForm()
    error = None
    if request.method == "GET":
        for row in account.security_answers:
            getattr(form, f"question{row.position}").data = row.question
    if form.validate_on_submit():
        pairs = [
            (getattr(form, f"question{i}").data or "", getattr(form, f"answer{i}").data or "")
            for i in (1, 2, 3)
        ]
        try:
            with unit_of_work_keeping_attempts():
                settings_service.set_security_questions(g.city, account, form.password.data, pairs)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            flash(_("Your password protection questions have been saved."), "success")
            return redirect(url_for("portal.home"))
    return render(
        "account/security_questions.html",
        title=_("Password protection"),
        form=form,
        error=error,
        has_questions=bool(account.security_answers),
    )


def _leave(kind: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        end_session(kind)
        flash(_("You have logged out."), "info")
        return redirect(url_for("account.login"))
    return render(
        "account/leave.html",
        form=form,
        kind=kind,
        title=_("Log out of this account") if kind == "logout" else _("Exit"),
    )


@blueprint.route("/session/extend", methods=["POST"])
@limiter.limit(POST_LIMIT)
def extend_session():
    """继续使用: the idle warning's button keeps the session open for another idle time.

    The warning's script asks for JSON; a plain form post (no script) goes back to ``next``.
    Someone not logged in (the session has already ended, or never was) is refused with 401,
    or sent to the login page, which says why; nothing is written then.
    """
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )
    extended = False
    if current_user.is_authenticated:
        with unit_of_work():
            extended = sessions.extend_session(g.city, session.get(sessions.SESSION_ID_KEY))
    if not extended:
        if wants_json:
            return jsonify(extended=False, login=url_for("account.login")), 401
        return redirect(url_for("account.login"), code=303)
    if wants_json:
        return jsonify(extended=True, idle_seconds=g.city.config.auth.session_idle_minutes * 60)
    return redirect(safe_return_path(request.form.get("next")), code=303)


@blueprint.route("/logout", methods=["GET", "POST"])
def logout():
    """退出当前账号: back to the login page."""
    return _leave("logout")


@blueprint.route("/exit", methods=["GET", "POST"])
def exit():  # noqa: A001 - the manual's 退出
    """退出: asks for confirmation first (a page, so it works without JavaScript)."""
    return _leave("exit")
