"""The demo accounts the README lists log in as the README says, after `shebao seed-demo`."""

import re

import pytest

from shebao.core.settings import PROJECT_ROOT

ROW = re.compile(r"^\| (Binzhou|Dezhou) \| `([0-9X]{18})` \| (\S+)[^|]*\| (`[^`]+`|— [^|]+) \|")


def readme_accounts():
    rows = []
    for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            city, id_number, name, password = match.groups()
            rows.append(
                (
                    city.lower(),
                    id_number,
                    name,
                    password.strip("`") if password.startswith("`") else None,
                )
            )
    return rows


def test_the_readme_lists_demo_accounts_for_both_cities():
    cities = {row[0] for row in readme_accounts()}
    assert cities == {"binzhou", "dezhou"}


@pytest.mark.parametrize("city, id_number, name, password", readme_accounts(), ids=lambda v: str(v))
def test_readme_demo_account(app, client_for, city, id_number, name, password):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--city", city, "--persons", "5"]).exit_code == 0
    client = client_for(city)
    if password is None:  # listed as not registered: the login is refused
        page = client.login(id_number, "Demo2026a")
        assert page.status_code == 200
        return
    page = client.login(id_number, password)
    assert page.status_code == 302
    if password == "888888":
        assert page.headers["Location"].endswith("/account/change-password")
    else:
        assert page.headers["Location"] == "/"
        assert name in client.get("/").get_data(as_text=True)
