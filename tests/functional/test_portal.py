"""Each city's portal answers on its own host with its own title, theme and menu."""

import pytest


def test_binzhou_home_has_its_title_theme_and_menu(binzhou):
    page = binzhou.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>滨州市社会保险个人网上服务系统</title>" in html
    assert "theme-classic-blue" in html
    for group in (
        "人员基本信息",
        "缴费历史",
        "社保卡",
        "缴费业务",
        "打印业务",
        "待遇享受",
        "公共就业",
        "劳动关系",
    ):
        assert f">{group}</" in html  # the home page's list of services
    assert "退出当前账号" not in html  # account settings are not listed to a visitor


def test_dezhou_home_has_its_title_theme_and_menu(dezhou):
    html = dezhou.get("/").get_data(as_text=True)
    assert "<title>德州市社会保险个人网上服务系统</title>" in html
    assert "theme-heritage-red" in html
    for group in ("个人信息", "社会保险", "社保卡", "社保待遇", "社保缴费"):
        assert f">{group}</" in html  # the home page's list of services
    assert "待办事项" in html
    assert "打印业务" not in html and "公共就业" not in html


@pytest.mark.parametrize(
    "host",
    [
        "nowhere.localhost",
        "127.0.0.1",
        "127.0.0.1:5000",
        "[::1]:5000",
        "localhost",
        "binzhou.localhost.evil.com",
        "a.binzhou.localhost",
        "",
    ],
)
def test_unknown_host_is_a_plain_404_naming_no_city(client_for, host):
    page = client_for("x", host=host).get("/")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "滨州" not in html and "德州" not in html and "Binzhou" not in html
    assert "404" in html


@pytest.mark.parametrize(
    "host", ["BINZHOU.LOCALHOST", "binzhou.localhost:5000", "binzhou.localhost."]
)
def test_host_is_case_insensitive_and_port_is_ignored(client_for, host):
    page = client_for("x", host=host).get("/")
    assert page.status_code == 200
    assert "滨州市社会保险个人网上服务系统" in page.get_data(as_text=True)


def test_extra_host_names_from_yaml_reach_their_city(client_for):
    html = client_for("x", host="si.linhu.example.cn").get("/").get_data(as_text=True)
    assert "Linhu Social Insurance Online" in html


def test_forwarded_host_headers_cannot_choose_the_city(client_for):
    client = client_for("binzhou")
    html = client.get("/", headers={"X-Forwarded-Host": "dezhou.localhost"}).get_data(as_text=True)
    assert "滨州市" in html and "德州市社会保险" not in html


@pytest.fixture
def logged_in(binzhou, dezhou, make_resident):
    for client, city in ((binzhou, "binzhou"), (dezhou, "dezhou")):
        resident = make_resident(city, 1 if city == "binzhou" else 2)
        assert client.login(resident.id_number, resident.password).status_code == 302


def test_module_a_city_has_not_enabled_answers_404(binzhou, dezhou, logged_in):
    assert dezhou.get("/card-collection/info").status_code == 200
    assert binzhou.get("/card-collection/info").status_code == 404
    assert binzhou.get("/printing/contribution-certificate").status_code == 200
    assert dezhou.get("/printing/contribution-certificate").status_code == 404


def test_disabled_module_is_404_even_before_login(binzhou):
    assert binzhou.get("/card-collection/info").status_code == 404


def test_page_switched_off_in_module_options_answers_404(binzhou, dezhou, logged_in):
    assert binzhou.get("/card/report-loss").status_code == 200
    assert dezhou.get("/card/report-loss").status_code == 404  # card.loss_report: false
    assert dezhou.get("/contributions/unemployment").status_code == 200
    assert dezhou.get("/contributions/maternity").status_code == 404  # not in contributions.types


def test_error_pages_are_themed_per_city(binzhou, dezhou):
    for client, title in (
        (binzhou, "滨州市社会保险个人网上服务系统"),
        (dezhou, "德州市社会保险个人网上服务系统"),
    ):
        page = client.get("/no-such-page")
        assert page.status_code == 404
        html = page.get_data(as_text=True)
        assert "页面不存在" in html and title in html


def test_english_is_available_and_remembered(binzhou):
    html = binzhou.get("/?lang=en").get_data(as_text=True)
    assert "Binzhou Social Insurance Personal Online Services" in html
    assert '<html lang="en">' in html
    assert "Contribution history" in html
    assert "Services" in binzhou.get("/").get_data(as_text=True)


def test_city_default_language_comes_from_yaml(linhu, binzhou):
    assert '<html lang="en">' in linhu.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in binzhou.get("/").get_data(as_text=True)


def test_static_files_are_looked_up_city_then_theme_then_platform(binzhou, dezhou):
    assert b"#1d4f91" in binzhou.get("/static/theme.css").data  # theme
    assert b"#a3161a" in dezhou.get("/static/theme.css").data
    assert binzhou.get("/static/logo.svg").data != dezhou.get("/static/logo.svg").data  # city
    assert b"--color-primary" in binzhou.get("/static/shebao.css").data  # platform
    assert binzhou.get("/static/../city.yaml").status_code == 404


def test_same_template_name_renders_each_citys_own_version(binzhou, dezhou, linhu):
    """Jinja caches by name: each city's override must still reach only that city."""
    for _ in range(2):
        assert "linhu-welcome" in linhu.get("/").get_data(as_text=True)
        assert "linhu-welcome" not in binzhou.get("/").get_data(as_text=True)
        dezhou_html = dezhou.get("/").get_data(as_text=True)
        assert "用户名为本人身份证号码" in dezhou_html  # heritage-red theme's home.html
        assert "用户名为本人身份证号码" not in binzhou.get("/").get_data(as_text=True)


def test_security_headers(binzhou):
    page = binzhou.get("/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_health_probe_answers_on_any_host(client_for):
    assert client_for("x", host="10.0.0.5").get("/healthz").get_json() == {"status": "ok"}


def test_third_city_needs_no_python(linhu, make_resident):
    html = linhu.get("/").get_data(as_text=True)
    assert "Linhu Social Insurance Online" in html
    resident = make_resident("linhu", 3)
    assert linhu.login(resident.id_number, resident.password).status_code == 302
    assert linhu.get("/card/report-loss").status_code == 200
    assert linhu.get("/payments/orders").status_code == 404
