"""Lists that find things: filters, sorting and paging that live in the URL.

Each long list (candidates, talks, leave, score entries…) has a FilterSet in its app's
`filters.py`, built on `ListFilter` below: the name typed in full, as a fragment or as pinyin
initials (`q`), a month, the list's own filters, and a sort order (`sort`). `listing()` pages
what the filters leave, 25, 50 or 100 rows a page (`per`), and the shared partials
(templates/includes/list_filters.html, pagination.html) keep every parameter in the links, so a
link shows the same view. Printed lists (ranking, roster, roll call…) take the filters but no
paging: `filtered()`.

Bad input (a month like 2026-13, a page past the end) never fails the page: the form says what
was wrong and the list shows what the valid filters leave; a page out of range shows the
nearest page."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import MonthField
from .pinyin import name_q

PER_PAGE_CHOICES = (25, 50, 100)
PER_PAGE_DEFAULT = 25
Q_MAX_LENGTH = 50


class ListMonthField(MonthField):
    """The camp's month field (YYYY-MM, the browser's month picker), drawn small."""

    widget = forms.DateInput(
        attrs={"type": "month", "class": "form-control form-control-sm"}, format="%Y-%m"
    )


class MonthFilter(django_filters.Filter):
    """Rows whose date field (`field_name`) falls in the month typed."""

    field_class = ListMonthField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(
            **{f"{self.field_name}__year": value.year, f"{self.field_name}__month": value.month}
        )


class NameSearchFilter(django_filters.CharFilter):
    """The name in full, a fragment of it, or its stored pinyin initials (`zhs` for 张华生).
    `field_name` is the path to the Person, e.g. "trainee__person"; `also` names more text
    fields to match by fragment (a candidate's unit or position)."""

    def __init__(self, *args, also: tuple[str, ...] = (), **kwargs):
        self.also = also
        kwargs.setdefault("label", _("姓名（可输拼音首字母）"))
        kwargs.setdefault("max_length", Q_MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "search",
                    "class": "form-control form-control-sm",
                    "autocomplete": "off",
                    "placeholder": _("如 张华生、华生 或 zhs"),
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = " ".join((value or "").split())
        if not value:
            return qs
        person = self.field_name
        q = name_q(value, name=f"{person}__name", initials=f"{person}__name_initials")
        for path in self.also:
            q |= Q(**{f"{path}__icontains": value})
        # Every path reaches one person per row, so no DISTINCT is needed.
        return qs.filter(q)


class SmallSelect(forms.Select):
    """A small Bootstrap select (a class, since the sort filter wraps its widget's class)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select form-select-sm", **(attrs or {})}, choices)


SMALL_SELECT = SmallSelect


def select_filter(**kwargs) -> django_filters.ChoiceFilter:
    """A choice filter drawn as a small Bootstrap select, "全部" when nothing is chosen."""
    kwargs.setdefault("empty_label", _("全部"))
    return django_filters.ChoiceFilter(widget=SMALL_SELECT, **kwargs)


def sort_filter(fields: dict[str, str], labels: dict[str, str]) -> django_filters.OrderingFilter:
    """The `sort` parameter: `fields` maps a model path to its URL name, `labels` a URL name
    (with "-" for descending) to what the user reads."""
    return django_filters.OrderingFilter(
        fields=tuple(fields.items()),
        choices=list(labels.items()),
        label=_("排序"),
        empty_label=_("默认"),
        widget=SMALL_SELECT,
    )


class ListFilter(django_filters.FilterSet):
    """The base of every list's filters: the list's camp (when it has one) is known to the
    filters that offer its groups or items."""

    def __init__(self, data=None, queryset=None, *, camp=None, request=None, **kwargs):
        self.camp = camp
        super().__init__(data, queryset, request=request, **kwargs)

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (the page offers to clear them)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.filters if name != "sort")


@dataclass
class Listing:
    """One page of a filtered list, with what the partials need to draw its controls."""

    page: Page
    filters: ListFilter | None
    per_page: int
    per_page_choices: tuple[int, ...] = PER_PAGE_CHOICES

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def page_range(self):
        """The page numbers to link, the far ones elided (…) so a phone's row stays short."""
        return self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        )


def _positive(raw, default: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def listing(
    request, source: ListFilter | QuerySet | list, *, per_page: int | None = None
) -> Listing:
    """Page `source` (a bound filter set, a plain queryset, or a list already read, such as
    the audit trail merged from several tables) as the request's `page` and `per` ask. A page
    past the end shows the last one, a page that is no number the first."""
    filters = source if isinstance(source, ListFilter) else None
    queryset = filters.qs if filters is not None else source
    size = _positive(request.GET.get("per"), per_page or PER_PAGE_DEFAULT)
    if size not in PER_PAGE_CHOICES:
        size = PER_PAGE_DEFAULT
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, filters=filters, per_page=size)


def filtered(filters: ListFilter) -> QuerySet:
    """A printed list's rows: every row the filters leave, unpaged."""
    return filters.qs
