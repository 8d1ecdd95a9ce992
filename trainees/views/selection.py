"""Selection (选调): candidates, their verdicts, decisions and the import. Staff act; the
organization department reads; other roles do not learn of candidates (404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from camp.access import get_camp_for, role_required
from camp.listing import listing
from camp.models import SensitiveAccessLog
from camp.roles import Role
from camp.services.sensitive_access import sensitive_access_log

from ..access import (
    can_edit_selection,
    can_see_personal_data,
    get_candidate_for,
    get_rank_alias_for,
    require_selection_access,
)
from ..candidate_file import candidate_template_workbook
from ..eligibility import eligibility_of
from ..filters import CandidateFilter
from ..forms import (
    SENSITIVE_FIELDS,
    CandidateForm,
    DecisionForm,
    ImportConfirmForm,
    ImportForm,
    RankAliasForm,
)
from ..models import Person
from ..selectors import camp_headcount, candidate_counts, candidates_for_camp, rank_aliases
from ..services.admission import candidate_decide
from ..services.candidate_import import (
    candidates_import_apply,
    candidates_import_preview,
)
from ..services.candidates import candidate_create, candidate_update
from ..services.ranks import rank_alias_create, rank_alias_delete
from .import_steps import ImportSteps, import_post


def _with_eligibility(candidates, camp):
    for candidate in candidates:
        candidate.eligibility = eligibility_of(candidate.person, camp)
    return candidates


@role_required(*Role.values)
def candidate_list(request, code):
    require_selection_access(request.user)
    camp = get_camp_for(request.user, code)
    page = listing(request, CandidateFilter(request.GET, candidates_for_camp(camp), camp=camp))
    return render(
        request,
        "trainees/candidate_list.html",
        {
            "camp": camp,
            "listing": page,
            "candidates": _with_eligibility(list(page.rows), camp),
            "counts": candidate_counts(camp),
            "headcount": camp_headcount(camp),
            "can_edit": can_edit_selection(request.user),
        },
    )


@role_required(*Role.values)
def candidate_detail(request, pk):
    candidate = get_candidate_for(request.user, pk)
    return render(
        request,
        "trainees/candidate_detail.html",
        {
            "candidate": candidate,
            "camp": candidate.camp,
            "eligibility": eligibility_of(candidate.person, candidate.camp),
            "can_edit": can_edit_selection(request.user),
            "form": DecisionForm(initial={"decision": candidate.decision}),
        },
    )


@role_required(*Role.values)
def candidate_new(request, code):
    require_selection_access(request.user, edit=True)
    camp = get_camp_for(request.user, code, edit=True)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = candidate_create(camp=camp, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已添加候选人 %(name)s。") % {"name": candidate.person})
            return redirect("candidate-detail", candidate.pk)
    return render(
        request,
        "trainees/candidate_form.html",
        {"form": form, "camp": camp, "title": _("手工添加候选人")},
    )


def _reveal_on_edit(request, candidate, field: str) -> CandidateForm:
    """The edit form as submitted (nothing saved), with one field's full value shown: logged
    like every other view of a full ID number or phone."""
    if not can_see_personal_data(request.user):
        raise PermissionDenied
    person = candidate.person
    sensitive_access_log(
        user=request.user,
        action=SensitiveAccessLog.Action.VIEW,
        target=_("候选人 %(name)s（%(camp)s届）")
        % {"name": person.name, "camp": candidate.camp.code},
        detail=str(Person._meta.get_field(field).verbose_name),
    )
    fields = CandidateForm.base_fields
    typed = {name: request.POST.get(name) for name in fields if name in request.POST}
    typed[field] = getattr(person, field) or ""
    return CandidateForm(instance=person, initial=typed, revealed={field})


@role_required(*Role.values)
def candidate_edit(request, pk):
    candidate = get_candidate_for(request.user, pk, edit=True)
    reveal = request.POST.get("reveal") if request.method == "POST" else None
    if reveal is not None:
        if reveal not in SENSITIVE_FIELDS:
            raise Http404
        form = _reveal_on_edit(request, candidate, reveal)
        return render(
            request,
            "trainees/candidate_form.html",
            {"form": form, "camp": candidate.camp, "title": _("编辑候选人"), **_reveals(request)},
        )
    form = CandidateForm(request.POST or None, instance=candidate.person)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_update(candidate=candidate, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("candidate-detail", candidate.pk)
    return render(
        request,
        "trainees/candidate_form.html",
        {"form": form, "camp": candidate.camp, "title": _("编辑候选人"), **_reveals(request)},
    )


def _reveals(request) -> dict:
    """The reveal buttons the edit form offers this user: one per masked field."""
    if not can_see_personal_data(request.user):
        return {"reveals": []}
    return {
        "reveals": [(name, Person._meta.get_field(name).verbose_name) for name in SENSITIVE_FIELDS]
    }


@role_required(*Role.values)
def candidate_decide_view(request, pk):
    candidate = get_candidate_for(request.user, pk, edit=True)
    form = DecisionForm(request.POST or None, initial={"decision": candidate.decision})
    if request.method == "POST" and form.is_valid():
        try:
            candidate_decide(
                candidate=candidate,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已记录对 %(name)s 的决定。") % {"name": candidate.person})
            return redirect("candidate-detail", candidate.pk)
    return render(
        request,
        "trainees/candidate_decide.html",
        {
            "form": form,
            "candidate": candidate,
            "camp": candidate.camp,
            "eligibility": eligibility_of(candidate.person, candidate.camp),
            "headcount": camp_headcount(candidate.camp),
        },
        status=400 if form.errors else 200,
    )


def _imported(request, camp, result):
    messages.success(
        request,
        _("导入成功：新增 %(created)d 名候选人，更新 %(updated)d 名。")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("candidate-list", camp.code)


def _import_page(request, camp, *, form=None, errors=(), preview=None, confirm=None):
    return render(
        request,
        "trainees/candidate_import.html",
        {
            "form": form or ImportForm(),
            "camp": camp,
            "errors": errors,
            "preview": preview,
            "confirm_form": confirm,
        },
        status=400 if errors or (form is not None and form.errors) else 200,
    )


def _import_steps(request, camp) -> ImportSteps:
    return ImportSteps(
        preview=lambda file, name: candidates_import_preview(camp=camp, file=file, file_name=name),
        apply=lambda preview, reason, confirmed: candidates_import_apply(
            camp=camp, preview=preview, by=request.user, reason=reason, confirmed=confirmed
        ),
        page=lambda **parts: _import_page(request, camp, **parts),
        done=lambda result: _imported(request, camp, result),
        restart_url=reverse("candidate-import", args=[camp.code]),
        upload_form=ImportForm,
        confirm_form=ImportConfirmForm,
    )


@role_required(*Role.values)
def candidate_import_view(request, code):
    require_selection_access(request.user, edit=True)
    camp = get_camp_for(request.user, code, edit=True)
    if request.method != "POST":
        return _import_page(request, camp)
    return import_post(request, _import_steps(request, camp))


@role_required(*Role.values)
def candidate_template(request):
    require_selection_access(request.user)
    workbook, filename = candidate_template_workbook()
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    workbook.save(response)
    return response


@role_required(*Role.values)
def rank_alias_list(request):
    require_selection_access(request.user, edit=True)
    form = RankAliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rank_alias_create(
                title=form.cleaned_data["title"], rank=form.cleaned_data["rank"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已添加职级对照。"))
            return redirect("rank-alias-list")
    return render(
        request,
        "trainees/rank_alias_list.html",
        {"form": form, "aliases": rank_aliases()},
    )


@role_required(*Role.values)
def rank_alias_delete_view(request, pk):
    alias = get_rank_alias_for(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rank_alias_delete(alias=alias, by=request.user)
    messages.success(request, _("已删除职级对照“%(title)s”。") % {"title": alias.title})
    return redirect("rank-alias-list")


urlpatterns = [
    path("camps/<str:code>/candidates/", candidate_list, name="candidate-list"),
    path("camps/<str:code>/candidates/new/", candidate_new, name="candidate-new"),
    path("camps/<str:code>/candidates/import/", candidate_import_view, name="candidate-import"),
    path("candidates/template.xlsx", candidate_template, name="candidate-template"),
    path("candidates/<int:pk>/", candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/edit/", candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/decide/", candidate_decide_view, name="candidate-decide"),
    path("rank-aliases/", rank_alias_list, name="rank-alias-list"),
    path("rank-aliases/<int:pk>/delete/", rank_alias_delete_view, name="rank-alias-delete"),
]
