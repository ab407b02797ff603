"""Static files nginx can serve itself with far-future caching: URLs that change with the
file (``?v=<digest>``), and the host → city and theme map that tells nginx where to look."""

from __future__ import annotations

import hashlib
import re

from click.testing import CliRunner

from shebao.cli import cli
from shebao.web.templating import PLATFORM_STATIC

STYLESHEETS = re.compile(r'href="(/static/[^"]+)"')


def test_static_urls_carry_the_digest_of_the_file_each_city_is_served(binzhou, dezhou, app):
    binzhou_urls = STYLESHEETS.findall(binzhou.get("/").get_data(as_text=True))
    dezhou_urls = STYLESHEETS.findall(dezhou.get("/").get_data(as_text=True))
    assert binzhou_urls and all("?v=" in url for url in binzhou_urls)

    shebao_css = hashlib.sha256((PLATFORM_STATIC / "shebao.css").read_bytes()).hexdigest()[:12]
    assert f"/static/shebao.css?v={shebao_css}" in binzhou_urls  # the platform's, shared
    assert f"/static/shebao.css?v={shebao_css}" in dezhou_urls
    theme = {url.partition("?")[0]: url for url in binzhou_urls}["/static/theme.css"]
    assert theme not in dezhou_urls  # each city's theme has its own content, so its own URL

    for url in binzhou_urls:  # the versioned URL serves the same file
        path, _, version = url.partition("?v=")
        body = binzhou.get(url).data
        assert hashlib.sha256(body).hexdigest()[:12] == version, path


def test_a_module_s_static_file_is_versioned_too(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    html = binzhou.get("/contributions/pension").get_data(as_text=True)
    url = re.search(r'href="(/contributions/static/contributions\.css\?v=[0-9a-f]{12})"', html)
    assert url and binzhou.get(url.group(1)).status_code == 200


def test_nginx_map_names_every_host_with_its_city_and_theme(monkeypatch, cities_dir):
    monkeypatch.setenv("SHEBAO_CITIES_DIR", str(cities_dir))
    monkeypatch.setenv("SHEBAO_BASE_DOMAIN", "shebao.example.gov.cn")
    result = CliRunner().invoke(cli, ["nginx-map"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = result.stdout
    city_map = out[out.index("map $host $shebao_city {") : out.index("}") + 1]
    theme_map = out[out.index("map $host $shebao_theme {") :]
    assert "    binzhou.shebao.example.gov.cn binzhou;" in city_map
    assert "    dezhou.shebao.example.gov.cn dezhou;" in city_map
    assert "    binzhou.shebao.example.gov.cn classic-blue;" in theme_map
    assert "    dezhou.shebao.example.gov.cn heritage-red;" in theme_map
    assert '    default "";' in city_map
