"""After the camp (训后跟踪): the graduates across editions, the promotion rates per edition,
and one graduate's page, which joins their training record with what came after. The
organization department writes; staff and leaders read; counselors and trainees are refused."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment.access import may_see_rank
from camp.access import allowed
from camp.forms import add_validation_error
from camp.listing import listing
from camp.models import Camp

from ..access import (
    AFTER_CAMP_MODELS,
    can_read_after_camp,
    can_write_after_camp,
    get_after_camp_record_for,
    get_graduate_for,
)
from ..after_camp_selectors import (
    RATE_YEARS,
    after_camp_record,
    graduate_list,
    other_graduations,
    promotion_rates,
)
from ..filters import GraduateFilter
from ..forms import AFTER_CAMP_FORMS, AfterCampForm
from ..services import after_camp as services
from ..training_record import training_record

TITLES = {
    "post": (gettext_lazy("记录任职变动"), gettext_lazy("修改任职变动")),
    "appraisal": (gettext_lazy("记录年度考核"), gettext_lazy("修改年度考核")),
    "award": (gettext_lazy("记录奖励表彰"), gettext_lazy("修改奖励表彰")),
    "note": (gettext_lazy("记录备注"), gettext_lazy("修改备注")),
}


def _kind(kind: str) -> str:
    if kind not in AFTER_CAMP_MODELS:
        raise Http404
    return kind


@allowed(can_read_after_camp)
def graduate_list_view(request):
    """The graduates of every finished edition, filtered by edition, promotion and name."""
    filters = GraduateFilter(request.GET, graduate_list())
    return render(
        request,
        "oversight/graduate_list.html",
        {
            "listing": listing(request, filters),
            "can_write": can_write_after_camp(request.user),
        },
    )


@allowed(can_read_after_camp)
def after_camp_overview(request):
    """Each edition's promotion rate one, two and three years after its graduation date."""
    today = timezone.localdate()
    camps = list(Camp.objects.order_by("-year", "-start_month"))
    rates = promotion_rates(camps, today=today)
    return render(
        request,
        "oversight/after_camp_overview.html",
        {
            "rows": [(camp, rates[camp.pk]) for camp in camps],
            "years": RATE_YEARS,
            "today": today,
        },
    )


@allowed(can_read_after_camp)
def graduate_page(request, pk):
    """The graduate's camp record (the training record) and what came after it."""
    graduate = get_graduate_for(request.user, pk)
    context = training_record(request.user, graduate)
    can_write = can_write_after_camp(request.user)
    context.update(
        {
            "graduate": graduate,
            "after": after_camp_record(graduate),
            "others": other_graduations(graduate),
            "show_rank": may_see_rank(request.user, graduate),
            "can_write": can_write,
        }
    )
    if can_write:
        context["post_form"] = AFTER_CAMP_FORMS["post"](auto_id="id_post_%s")
    return render(request, "oversight/graduate_page.html", context)


@allowed(can_write_after_camp)
def record_new(request, pk, kind):
    graduate = get_graduate_for(request.user, pk, write=True)
    kind = _kind(kind)
    form = AFTER_CAMP_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.CREATE[kind](graduate=graduate, by=request.user, **fields)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("aftercamp-graduate", graduate.pk)
    return _form_page(request, graduate, form, TITLES[kind][0], status=400 if form.errors else 200)


@allowed(can_write_after_camp)
def record_edit(request, kind, pk):
    kind = _kind(kind)
    record = get_after_camp_record_for(request.user, kind, pk, write=True)
    form_class = AFTER_CAMP_FORMS[kind]
    initial = {name: getattr(record, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version") or 0
        try:
            services.UPDATE[kind](record, by=request.user, version=version, **fields)
        except services.StaleRecordError as error:
            # Shown with the record as it is now, so the writer checks before saving again.
            messages.error(request, "；".join(error.messages))
            current = type(record).objects.filter(pk=pk).select_related("updated_by").first()
            if current is None:  # deleted meanwhile: nothing left to edit
                return redirect("aftercamp-graduate", record.graduate_id)
            record = current
            initial = {name: getattr(record, name) for name in form_class.base_fields}
            form = form_class(initial=initial)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("aftercamp-graduate", record.graduate_id)
    return _form_page(
        request,
        record.graduate,
        form,
        TITLES[kind][1],
        record=record,
        kind=kind,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@allowed(can_write_after_camp)
def record_delete(request, kind, pk):
    kind = _kind(kind)
    record = get_after_camp_record_for(request.user, kind, pk, write=True)
    form = AfterCampForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.DELETE[kind](record, by=request.user, version=version or 0)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已删除。"))
    return redirect("aftercamp-graduate", record.graduate_id)


def _form_page(request, graduate, form, title, *, record=None, kind="", status=200):
    return render(
        request,
        "oversight/after_camp_form.html",
        {"graduate": graduate, "form": form, "title": title, "record": record, "kind": kind},
        status=status,
    )


urlpatterns = [
    path("graduates/", graduate_list_view, name="aftercamp-graduates"),
    path("graduates/rates/", after_camp_overview, name="aftercamp-overview"),
    path("graduates/<int:pk>/", graduate_page, name="aftercamp-graduate"),
    path("graduates/<int:pk>/<str:kind>/new/", record_new, name="aftercamp-record-new"),
    path("graduates/records/<str:kind>/<int:pk>/", record_edit, name="aftercamp-record-edit"),
    path(
        "graduates/records/<str:kind>/<int:pk>/delete/",
        record_delete,
        name="aftercamp-record-delete",
    ),
]
