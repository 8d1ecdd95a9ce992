"""The journeys' accessibility sweep (conftest.axe_sweep) fails on what it should: a page with
a serious or critical violation fails the journey and names the rule and the element."""

import pytest

pytestmark = pytest.mark.browser

BROKEN = (
    "<!DOCTYPE html><html><head><title>probe</title></head><body><main>"
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">'
    "</main></body></html>"
)


def test_a_page_with_a_critical_violation_fails_the_journey(page):
    page.route(
        "**/axe-probe/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN),
    )
    with pytest.raises(AssertionError) as failure:
        page.goto(page.base_url + "/axe-probe/")
    report = str(failure.value)
    assert "image-alt (critical)" in report
    assert "#no-alt" in report
    assert "html-has-lang (serious)" in report
