"""The graduation documents on screen: the appraisal form (学员鉴定表) and the certificate
(结业证书) as print-ready A4 pages, and the appraisal form's texts written by the trainee
(个人总结) and the counselor (小组鉴定意见). The Word documents are the registered kinds
(documents_graduation.py): one trainee's downloads directly (export-download), a whole
edition's runs as a background job from the graduation list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from camp.access import allowed, role_required
from camp.forms import add_validation_error
from camp.roles import Role
from camp.workbooks import may_export, registry
from trainees.access import is_self
from trainees.models import Trainee

from ..access import (
    can_take_edition_documents,
    can_take_trainee_document,
    can_write_statement,
    can_write_statements,
    document_day,
    get_graduation_for,
    get_statement_trainee_for,
    may_see_rank,
)
from ..document_selectors import appraisal_sheets, statements_of
from ..documents_graduation import appraisal_fields, certificate_lines, conclusion_label
from ..graduation_forms import AppraisalStatementForm
from ..graduation_selectors import graduation_shown_to
from ..models import StatementKind
from ..services.appraisal_statements import appraisal_statement_save

DOCUMENT_KINDS = ("appraisal-form", "certificate")


def edition_document_kinds(user) -> list[tuple[str, str]]:
    """(kind, label) of the whole-edition documents this user may have built."""
    if not can_take_edition_documents(user):
        return []
    return [(kind, str(registry[kind].label)) for kind in DOCUMENT_KINDS]


def _one_sheet(user, trainee: Trainee):
    """The trainee's appraisal sheet as this reader may see it: a trainee sees the school's
    and the group's opinions once the graduation is final, never a draft."""
    one = Trainee.objects.filter(pk=trainee.pk).select_related("person", "camp", "graduation")
    sheet = appraisal_sheets(trainee.camp, one, day=document_day(trainee.camp))[0]
    sheet.graduation = graduation_shown_to(user, trainee)
    if is_self(user, trainee) and sheet.graduation is None:
        sheet.group_opinion = ""
    return sheet


@role_required(*Role.values)
def graduation_form(request, pk):
    """The trainee's graduation page: the appraisal form (学员鉴定表), print-ready."""
    trainee = get_graduation_for(request.user, pk)
    sheet = _one_sheet(request.user, trainee)
    show_rank = may_see_rank(request.user, trainee)
    may_download = can_take_trainee_document(request.user, trainee)
    graduation = sheet.graduation
    return render(
        request,
        "assessment/graduation_form.html",
        {
            "trainee": trainee,
            "camp": trainee.camp,
            "sheet": sheet,
            "graduation": graduation,
            "fields": appraisal_fields(sheet, show_rank=show_rank),
            "conclusion": conclusion_label(sheet),
            "filed": bool(graduation and graduation.finalized_at),
            "writable": [
                (kind, label)
                for kind, label in StatementKind.choices
                if can_write_statement(request.user, trainee, kind)
            ],
            "docx_url": may_download
            and may_export(request.user, registry["appraisal-form"])
            and _download_url(trainee, "appraisal-form"),
            "certificate_url": graduation
            and graduation.certificate_number
            and reverse("graduation-certificate", args=[trainee.pk]),
        },
    )


def _download_url(trainee: Trainee, kind: str) -> str:
    url = reverse("export-download", args=[trainee.camp.code, kind])
    return f"{url}?trainee={trainee.pk}"


@role_required(*Role.values)
def graduation_certificate(request, pk):
    """The certificate (结业证书) as a print page: only for a graduate with a number."""
    trainee = get_graduation_for(request.user, pk)
    graduation = graduation_shown_to(request.user, trainee)
    if not (
        can_take_trainee_document(request.user, trainee)
        and graduation is not None
        and graduation.graduates
        and graduation.certificate_number
    ):
        raise Http404
    return render(
        request,
        "assessment/graduation_certificate.html",
        {
            "trainee": trainee,
            "lines": certificate_lines(trainee),
            "docx_url": _download_url(trainee, "certificate"),
        },
    )


@allowed(can_write_statements)
def appraisal_statement_edit(request, pk, kind):
    """Write 个人总结 (the trainee) or 小组鉴定意见 (the counselor; staff either)."""
    trainee = get_statement_trainee_for(request.user, pk, kind)
    statement = statements_of(trainee).get(kind)
    initial = {"text": statement.text if statement else "", "version": 0}
    if statement is not None:
        initial["version"] = statement.version
    form = AppraisalStatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal_statement_save(
                trainee=trainee,
                kind=kind,
                text=form.cleaned_data["text"],
                by=request.user,
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("graduation-form", trainee.pk)
    return render(
        request,
        "assessment/appraisal_statement.html",
        {
            "trainee": trainee,
            "kind_label": StatementKind(kind).label,
            "statement": statement,
            "form": form,
        },
    )


urlpatterns = [
    path("graduation/<int:pk>/form/", graduation_form, name="graduation-form"),
    path("graduation/<int:pk>/certificate/", graduation_certificate, name="graduation-certificate"),
    path(
        "graduation/<int:pk>/statement/<str:kind>/",
        appraisal_statement_edit,
        name="appraisal-statement",
    ),
]
