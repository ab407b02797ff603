"""Dezhou card collection in a real browser: fill the application, upload a photo file."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from PIL import Image

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_dezhou_application_and_photo_upload(page, live_server, make_resident, tmp_path):
    resident = make_resident("dezhou", 31)
    page.goto(live_server.city_url("dezhou", "/account/login"))
    log_in(page, resident.id_number, resident.password)
    assert urlparse(page.url).path == "/"

    page.goto(live_server.city_url("dezhou", "/card-collection/info?lang=en"))
    assert page.locator("h1").inner_text() == "Card information collection"
    assert resident.name in page.locator(".facts").inner_text()
    # A bad phone number: refused next to the field, what was typed is kept.
    page.get_by_label("Mobile number").fill("12345")
    page.get_by_label("Address").fill("德州市德城区东风中路1号")
    page.get_by_role("button", name="Save draft").click()
    assert "Enter an 11-digit mobile number." in page.locator("#phone-error").inner_text()
    assert page.get_by_label("Address").input_value() == "德州市德城区东风中路1号"

    page.get_by_label("Nationality").fill("中国")
    page.get_by_label("Ethnic group").select_option("01")
    page.get_by_label("Mobile number").fill("13912345678")
    page.get_by_label("Profession").fill("教师")
    page.get_by_label("Issuing bank").select_option(label="Bank of Dezhou")
    page.get_by_label("Where to collect the card").select_option(index=2)
    page.get_by_role("button", name="Submit").click()
    assert urlparse(page.url).path == "/card-collection/info"
    assert "Submitted, waiting for the card office" in page.locator(".status").inner_text()

    photo = tmp_path / "me.jpg"
    Image.new("RGB", (716, 882), (230, 225, 220)).save(photo, "JPEG")
    page.goto(live_server.city_url("dezhou", "/card-collection/photo?lang=en"))
    file_input = page.get_by_label("ID photo (JPEG or PNG)")
    assert file_input.get_attribute("capture") == "user"
    file_input.set_input_files(str(photo))
    page.get_by_role("button", name="Upload photo").click()
    assert urlparse(page.url).path == "/card-collection/photo"
    assert "Waiting for review" in page.locator("section [role=status]").inner_text()
    image = page.get_by_role("img", name="Your uploaded ID photo")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 358
    assert image.evaluate("img => img.naturalHeight") == 441

    page.goto(live_server.city_url("dezhou", "/todo/list?lang=en"))
    assert "You have no unfinished business" in page.locator("main").inner_text()
