"""The public verify page (/verify/<code>): rate-limited, never cached, and only Binzhou has
it."""

from __future__ import annotations


def test_verify_page_is_rate_limited(client_for):
    visitor = client_for("binzhou")
    answers = [visitor.get(f"/verify/{'x' * 32}{n:02d}").status_code for n in range(31)]
    assert answers[:30] == [404] * 30  # "not genuine" pages
    assert answers[30] == 429


def test_verify_page_needs_no_login_and_is_not_in_dezhou(client_for):
    page = client_for("binzhou").get("/verify/" + "A" * 32 + "?lang=en")
    assert page.status_code == 404 and "not genuine" in page.get_data(as_text=True)
    assert "/account/login" not in page.headers.get("Location", "")
    assert client_for("dezhou").get("/verify/" + "A" * 32).status_code == 404
    assert "not genuine" not in client_for("dezhou").get("/verify/x?lang=en").get_data(as_text=True)


def test_verify_page_is_never_stored_genuine_or_not(client_for, app):
    """It shows a masked name and ID number and the totals, without logging in: neither the
    browser nor a proxy may keep it (no-store), whether the code is genuine or not."""
    from shebao.core.extensions import db
    from tests.factories_printing import issued_certificate

    code = "genuine-code-" + "7" * 20
    with app.app_context():
        issued_certificate("binzhou", 1, code=code)
        db.session.commit()
    visitor = client_for("binzhou")
    genuine = visitor.get(f"/verify/{code}?lang=en")
    assert genuine.status_code == 200
    assert "This certificate is genuine" in genuine.get_data(as_text=True)
    unknown = visitor.get("/verify/" + "B" * 32 + "?lang=en")
    assert unknown.status_code == 404
    for page in (genuine, unknown):
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Pragma"] == "no-cache"
