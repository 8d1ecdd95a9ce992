"""The header menu for each role, and the camp a user is working in."""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from .access import has_role
from .models import Camp
from .roles import Role


def current_camp_for(user) -> Camp | None:
    """The edition a user works in by default: a trainee's or counselor's own, else the latest
    edition that has not finished."""
    if not user.is_authenticated:
        return None
    if has_role(user, Role.TRAINEE):
        person = getattr(user, "person", None)
        if person is not None:
            trainee = person.traineeships.select_related("camp").order_by("-camp__year").first()
            return trainee.camp if trainee else None
        return None
    if has_role(user, Role.COUNSELOR):
        counselor = getattr(user, "counselor", None)
        if counselor is not None:
            group = counselor.groups.select_related("camp").order_by("-camp__year").first()
            return group.camp if group else None
        return None
    return Camp.objects.current().first() or Camp.objects.first()


# Each app contributes menu entries: (label, url name, who sees it, takes the camp code). Who
# sees an entry is, unless said otherwise, whoever its page lets in: the view's own access rule
# (`allowed(can_...)` or `role_required`), so the menu states no rule of its own.
MENU: list[tuple[str, str, Callable | None, bool]] = []
_PAGE_RULES: dict[str, Callable] = {}


def add_menu_item(
    label: str,
    url_name: str,
    *,
    per_camp: bool = True,
    visible: Callable | None = None,
    before: str | None = None,
) -> None:
    """Add an entry last, or before the entry named `before` when there is one (an app that
    registers later may still place its entries ahead of a lower app's). `visible(user)`, if
    given, is an access helper for a page whose view decides inside."""
    entry = (label, url_name, visible, per_camp)
    names = [item[1] for item in MENU]
    if before is not None and before in names:
        MENU.insert(names.index(before), entry)
    else:
        MENU.append(entry)


def _page_rule(url_name: str, url: str) -> Callable:
    """The access rule of the view behind `url`, looked up once per url name."""
    if url_name not in _PAGE_RULES:
        rule = getattr(resolve(url).func, "allows", None)
        if rule is None:
            raise ImproperlyConfigured(
                f"menu entry {url_name!r}: its view states no access rule; pass visible="
            )
        _PAGE_RULES[url_name] = rule
    return _PAGE_RULES[url_name]


# The header groups the menu into a few dropdowns, so that thirty pages fit on a phone. A
# page's section follows from its url name; anything unlisted stands on its own.
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "people": (
        gettext_noop("选调与学员"),
        ("candidate-", "roster", "camp-list", "group-", "conduct-"),
    ),
    "teaching": (gettext_noop("教学安排"), ("curriculum-",)),
    "assessment": (gettext_noop("考核评价"), ("assessment-", "camp-dashboard")),
    "oversight": (
        gettext_noop("组织考察"),
        (
            "trainee-search",
            "tracking-",
            "interview-",
            "shortlist-",
            "graduation-",
            "editions",
            "aftercamp-",
        ),
    ),
    "audit": (gettext_noop("审计"), ("history-", "sensitive-log", "retention")),
}
# Roles that take no part in selection find the editions, groups and roster under this name.
PEOPLE_WITHOUT_SELECTION = gettext_noop("班级与小组")

# Each role's menu starts with its own work: the pages it comes for every week, under a heading
# of their own and in this order, before the sections that hold the rest.
OWN_WORK: dict[str, tuple[str, tuple[str, ...]]] = {
    Role.TRAINEE: (
        gettext_noop("我的学习"),
        (
            "curriculum-my-schedule",
            "assessment-my-scores",
            "assessment-my-submissions",
            "curriculum-leave",
            "curriculum-attendance",
            "conduct-mine",
        ),
    ),
    Role.COUNSELOR: (
        gettext_noop("我的小组"),
        (
            "assessment-my-group-scores",
            "assessment-reviews",
            "curriculum-talks",
            "curriculum-attendance",
            "assessment-grid-start",
            "assessment-inbox",
        ),
    ),
    Role.LEADER: (gettext_noop("看板与点评"), ("camp-dashboard", "assessment-comments")),
}
# Each role's main tasks as buttons at the top of its home page, so that on a phone each is one
# tap from home (the header's dropdowns take three: the toggler, the section, the page). What is
# due now (a check-in open, a session to evaluate, this week's review) is in the to-do list below.
SHORTCUTS: dict[str, tuple[str, ...]] = {
    Role.TRAINEE: ("curriculum-leave", "curriculum-my-schedule", "assessment-my-scores"),
    Role.COUNSELOR: ("assessment-reviews", "assessment-grid-start", "curriculum-talks"),
    Role.STAFF: ("curriculum-attendance", "assessment-grid-start", "curriculum-leave"),
    Role.ORGDEPT: ("camp-dashboard", "tracking-list", "shortlist-list"),
    Role.LEADER: ("camp-dashboard", "assessment-comments"),
}
# Then the sections, in the order the role works with them: staff run the class, the
# organization department looks at the trainees, a leader at the results.
SECTION_ORDER: dict[str, tuple[str, ...]] = {
    Role.STAFF: ("people", "teaching", "assessment", "oversight", "audit"),
    Role.ORGDEPT: ("oversight", "assessment", "people", "teaching", "audit"),
    Role.LEADER: ("assessment", "oversight", "people", "teaching", "audit"),
    Role.COUNSELOR: ("assessment", "teaching", "people", "oversight", "audit"),
    Role.TRAINEE: ("teaching", "assessment", "people", "oversight", "audit"),
}


def _section_of(url_name: str) -> str | None:
    for key, (_label, prefixes) in SECTIONS.items():
        if url_name.startswith(prefixes):
            return key
    return None


_CURRENT = object()


def navigation_for(user, *, camp=_CURRENT) -> dict:
    """The user's menu entries, grouped and as shortcuts, in `camp` (their current camp unless
    given)."""
    if not user.is_authenticated:
        return {}
    if camp is _CURRENT:
        camp = current_camp_for(user)
    items = []
    for label, url_name, visible, per_camp in MENU:
        if per_camp:
            if camp is None:
                continue
            url = reverse(url_name, args=[camp.code])
        else:
            url = reverse(url_name)
        if not (visible or _page_rule(url_name, url))(user):
            continue
        items.append(
            {"label": _(label), "url": url, "name": url_name, "section": _section_of(url_name)}
        )
    return {
        "current_camp": camp,
        "menu_items": items,
        "menu_sections": _grouped(items, user.role),
        "menu_shortcuts": _shortcuts(items, user.role),
    }


# The header's menu is the same on every page a user opens, yet building it (thirty entries
# reversed, each behind its page's access rule) and rendering it cost a few milliseconds of every
# request. It is kept rendered per user, role, camp and language; the role and the active flag
# in the key drop it the moment an administrator changes either, and every access rule behind an
# entry is a function of those. A cache that is down costs the rendering, never the page.
MENU_TIMEOUT = 600

logger = logging.getLogger(__name__)


def menu_fragment(user, camp: Camp | None) -> SafeString:
    """The header's menu (templates/includes/menu.html) for this user in this camp."""
    key = (
        f"menu:{_menu_version()}:{user.pk}:{user.role}:{int(user.is_active)}:"
        f"{getattr(camp, 'pk', None)}:{get_language()}"
    )
    try:
        html = cache.get(key)
    except Exception:
        logger.warning("cache unavailable; rendering the menu live", exc_info=True)
        html, key = None, None
    if html is None:
        sections = navigation_for(user, camp=camp).get("menu_sections", [])
        html = render_to_string("includes/menu.html", {"menu_sections": sections})
        if key is not None:
            try:
                cache.set(key, html, MENU_TIMEOUT)
            except Exception:
                logger.warning("cache unavailable; the menu is not kept", exc_info=True)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped


_MENU_VERSION: list[str] = []


def _menu_version() -> str:
    """A digest of the registered entries, so that a deploy that changes the menu never serves
    a menu kept by the code before it."""
    if not _MENU_VERSION:
        text = repr([(label, name, per_camp) for label, name, _v, per_camp in MENU])
        _MENU_VERSION.append(hashlib.sha256(text.encode()).hexdigest()[:12])
    return _MENU_VERSION[0]


def _shortcuts(items: list[dict], role: str) -> list[dict]:
    by_name = {item["name"]: item for item in items}
    return [by_name[name] for name in SHORTCUTS.get(role, ()) if name in by_name]


def _grouped(items: list[dict], role: str) -> list[dict]:
    """The role's own work first, then its sections in the role's order, each with its items;
    lone items after them."""
    sections = []
    own_label, own_names = OWN_WORK.get(role, ("", ()))
    by_name = {item["name"]: item for item in items}
    own = [by_name[name] for name in own_names if name in by_name]
    if own:
        sections.append({"label": _(own_label), "items": own})
    rest = [item for item in items if item not in own]
    selection = any(item["name"].startswith("candidate-") for item in items)
    for key in SECTION_ORDER.get(role, tuple(SECTIONS)):
        members = [item for item in rest if item["section"] == key]
        if members:
            label = SECTIONS[key][0]
            if key == "people" and not selection:
                label = PEOPLE_WITHOUT_SELECTION
            sections.append({"label": _(label), "items": members})
    sections.extend(
        {"label": item["label"], "url": item["url"], "items": []}
        for item in rest
        if item["section"] is None
    )
    return sections
