"""The graduation documents in the browser (issue 18 §3): a trainee writes their 个人总结 on a
phone; once staff have filed the graduation, the organization department (desktop) takes a
trainee's appraisal form and certificate as print pages and Word files and has the whole
edition's forms built in the background, and a leader (phone) reads the same documents."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

from assessment.services.graduation import graduation_certificates_assign, graduation_save
from camp.documents import document_text

from .conftest import PHONE, assert_no_page_errors, follow_menu, log_in, new_page, screenshot

pytestmark = pytest.mark.browser

SUMMARY = "一年来我系统学习党的创新理论，在首席项目中经受了锻炼。"


def _docx_text(download) -> str:
    return document_text(Document(io.BytesIO(Path(download.path()).read_bytes())))


def test_a_trainee_writes_a_summary_and_orgdept_and_a_leader_take_the_documents(
    browser, live_server, cast, camp_clock
):
    one = cast.trainee_in_group_1
    # --- the trainee, on a phone: 我的成绩 → 填写个人总结 -------------------------------------
    context, phone = new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    log_in(phone, "t001")
    phone.locator("[data-shortcuts]").get_by_role("link", name="我的成绩").click()
    phone.get_by_test_id("write-self-summary").click()
    phone.get_by_label("内容").fill(SUMMARY)
    phone.get_by_role("button", name="保存").click()
    expect(phone).to_have_url(re.compile(r"/graduation/\d+/form/$"))
    expect(phone.get_by_test_id("self-summary")).to_have_text(SUMMARY)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the appraisal form is {width}px wide on a phone"
    assert_no_page_errors(phone)
    context.close()

    # Staff file the graduation (their own pages are tested elsewhere).
    graduation_save(
        trainee=one, by=cast.staff, graduates=True, appraisal="考核合格", outstanding=False
    )
    graduation_certificates_assign(camp=cast.camp, by=cast.staff)

    # --- the organization department, desktop ------------------------------------------------
    context, page = new_page(browser, live_server)
    log_in(page, "orgdept")
    follow_menu(page, "结业")
    row = page.get_by_test_id("graduation-row").filter(has_text="张三")
    row.get_by_role("link", name="鉴定表").click()
    form = page.get_by_test_id("appraisal-form")
    expect(form).to_contain_text(SUMMARY)
    expect(form).to_contain_text("班级排名")
    expect(form).to_contain_text("组织部意见")
    with page.expect_download() as download:
        page.get_by_test_id("appraisal-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    text = _docx_text(download.value)
    assert SUMMARY in text
    assert "考核合格" in text
    page.get_by_role("link", name="结业证书").click()
    expect(page.get_by_test_id("certificate-number")).to_have_text("证书编号：NTH2026-001")
    screenshot(page, "certificate-orgdept")
    with page.expect_download() as download:
        page.get_by_test_id("certificate-docx").click()
    assert "NTH2026-001" in _docx_text(download.value)
    # The edition's forms, built in the background and listed under 我的导出.
    page.goto(page.base_url + reverse("graduation-list", args=["2026"]))
    page.get_by_role("button", name="生成全期学员鉴定表（Word）").click()
    expect(page).to_have_url(re.compile(r"/exports/mine/$"))
    job = page.get_by_test_id("export-job").first
    expect(job).to_contain_text("学员鉴定表")
    with page.expect_download() as download:
        job.get_by_role("link", name=re.compile(r"\.docx$")).click()
    edition = _docx_text(download.value)
    assert "张三" in edition
    assert "李四" in edition
    assert_no_page_errors(page)
    context.close()

    # --- a leader, on a phone: the same documents, read -----------------------------------------
    context, phone = new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    log_in(phone, "leader")
    follow_menu(phone, "结业")
    phone.get_by_test_id("graduation-row").filter(has_text="张三").get_by_role(
        "link", name="证书"
    ).click()
    expect(phone.get_by_test_id("certificate")).to_contain_text("中共湖州市委党校")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the certificate is {width}px wide on a phone"
    screenshot(phone, "certificate-leader-phone")
    phone.goto(phone.base_url + reverse("graduation-form", args=[one.pk]))
    expect(phone.get_by_test_id("appraisal-form")).to_contain_text(SUMMARY)
    assert phone.get_by_test_id("write-self_summary").count() == 0  # a leader only reads
    with phone.expect_download() as download:
        phone.get_by_test_id("appraisal-docx").click()
    assert "张三" in _docx_text(download.value)
    assert_no_page_errors(phone)
    context.close()
