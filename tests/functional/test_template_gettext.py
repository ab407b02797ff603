"""Templates translate with the request's catalogue through callables that take no template
context (web.i18n.install_template_gettext), keeping Jinja's newstyle rules."""

from __future__ import annotations

from flask import g, render_template_string


def render(app, source: str, lang: str = "zh_CN", **context) -> str:
    with app.test_request_context("/?lang=" + lang, base_url="http://binzhou.localhost/"):
        g.city = app.extensions["shebao.cities"].get("binzhou")
        return render_template_string(source, **context)


def test_variables_are_escaped_and_the_text_is_translated(app):
    source = '{{ _("Hello, %(name)s", name=who) }}'
    assert render(app, source, who="<b>张</b>") == "您好，&lt;b&gt;张&lt;/b&gt;"
    assert render(app, source, "en", who="<b>Z</b>") == "Hello, &lt;b&gt;Z&lt;/b&gt;"


def test_a_string_is_always_percent_formatted(app):
    assert render(app, '{{ _("100%% sure") }}', "en") == "100% sure"


def test_inside_loops_and_blocks_too(app):
    source = '{% for n in [1, 2] %}{% set x = n %}{{ _("Hello, %(name)s", name=x) }};{% endfor %}'
    assert render(app, source, "en") == "Hello, 1;Hello, 2;"


def test_plural_forms(app):
    source = '{{ ngettext("%(num)s month", "%(num)s months", n) }}'
    assert render(app, source, "en", n=1) == "1 month"
    assert render(app, source, "en", n=3) == "3 months"
