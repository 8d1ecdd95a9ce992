"""The header menu for each role, and the camp a user is working in."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Camp
from .roles import Role


def current_camp_for(user) -> Camp | None:
    """The edition a user works in by default: a trainee's or counselor's own, else the latest
    edition that has not finished."""
    if not user.is_authenticated:
        return None
    if user.role == Role.TRAINEE:
        person = getattr(user, "person", None)
        if person is not None:
            trainee = person.traineeships.select_related("camp").order_by("-camp__year").first()
            return trainee.camp if trainee else None
        return None
    if user.role == Role.COUNSELOR:
        counselor = getattr(user, "counselor", None)
        if counselor is not None:
            group = counselor.groups.select_related("camp").order_by("-camp__year").first()
            return group.camp if group else None
        return None
    return Camp.objects.current().first() or Camp.objects.first()


# Each app contributes menu entries: (label, url name, roles, takes the camp code).
MENU: list[tuple[str, str, frozenset[str], bool]] = []


def add_menu_item(label: str, url_name: str, roles, *, per_camp: bool = True) -> None:
    MENU.append((label, url_name, frozenset(roles), per_camp))


# The header groups the menu into a few dropdowns, so that thirty pages fit on a phone. A
# page's section follows from its url name; anything unlisted stands on its own.
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    (gettext_noop("选调与学员"), ("candidate-", "roster", "camp-list", "group-", "conduct-")),
    (gettext_noop("教学安排"), ("curriculum-",)),
    (gettext_noop("考核评价"), ("assessment-", "camp-dashboard")),
    (
        gettext_noop("组织考察"),
        ("trainee-search", "tracking-", "interview-", "shortlist-", "graduation-"),
    ),
    (gettext_noop("审计"), ("history-", "sensitive-log")),
]


def _section_of(url_name: str) -> str | None:
    for label, prefixes in SECTIONS:
        if url_name.startswith(prefixes):
            return label
    return None


def navigation_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    camp = current_camp_for(user)
    items = []
    for label, url_name, roles, per_camp in MENU:
        if user.role not in roles:
            continue
        if per_camp:
            if camp is None:
                continue
            url = reverse(url_name, args=[camp.code])
        else:
            url = reverse(url_name)
        items.append({"label": _(label), "url": url, "section": _section_of(url_name)})
    return {"current_camp": camp, "menu_items": items, "menu_sections": _grouped(items)}


def _grouped(items: list[dict]) -> list[dict]:
    """Sections in their fixed order, each with its items; lone items after them."""
    sections = []
    for label, _prefixes in SECTIONS:
        members = [item for item in items if item["section"] == label]
        if members:
            sections.append({"label": _(label), "items": members})
    sections.extend(
        {"label": item["label"], "url": item["url"], "items": []}
        for item in items
        if item["section"] is None
    )
    return sections
