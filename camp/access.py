"""Who may do what: the project's access table, expressed once.

Views never test roles themselves. A page states who may open it with `allowed(can_...)` (a named
answer of an app's access module) or, where the role alone decides, `role_required`; the header
menu asks the same rule. Pages about one object call the model's `get_<model>_for(user, ...)`
helper, which returns the object or raises Http404 (the user may not know it exists) or
PermissionDenied (they may see it but not do this to it). What a page shows or offers follows
the same `can_...` answers, passed to the template as booleans. Every answer goes through
`has_role`, so a deactivated account is refused everywhere.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Camp
from .roles import Role

STAFF = frozenset({Role.STAFF})
READERS_OF_CAMP = frozenset(Role.values)  # camp, calendar and sessions: everyone reads
OVERSEERS = frozenset({Role.STAFF, Role.ORGDEPT, Role.LEADER})


def has_role(user, *roles: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role in roles


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def role_required(*roles: str):
    """Log in first; then the user's role must be one of `roles` (403 otherwise). Like
    `allowed`, the view keeps its rule as `view.allows(user)`, which the menu asks."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        wrapped.allows = lambda user: has_role(user, *roles)
        return wrapped

    return decorator


def allowed(predicate):
    """Log in first; then `predicate(user)`, one of the access modules' `can_...` answers, must
    hold (403 otherwise). The menus ask the same predicate, so an entry shows exactly where its
    page opens."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allows = predicate
        return wrapped

    return decorator


def is_member(user) -> bool:
    """Any active user with a role: every role reads the camps, their calendars and sessions."""
    return has_role(user, *Role.values)


def can_see_personal_data(user) -> bool:
    """Who may ask for a full ID number or phone, on a page or in an unmasked workbook (and is
    logged when they do)."""
    return has_role(user, Role.STAFF, Role.ORGDEPT)


def can_read_retention(user) -> bool:
    """The retention page (数据保留): its runs, the editions' expiry dates and a preview of the
    next run, with the names it would anonymize. Staff, who run the camp's data, and orgdept,
    who read every profile and own the cadres' files; a leader reviews the camp, not its data
    keeping, and the preview names people, so not leaders."""
    return has_role(user, Role.STAFF, Role.ORGDEPT)


def can_export_group_workbooks(user) -> bool:
    """Workbooks with a group part (roster, attendance, schedule, summaries, comments): staff
    and orgdept get the class, a counselor their own group's rows. Leaders read the pages but
    take no workbooks away."""
    return has_role(user, Role.STAFF, Role.ORGDEPT, Role.COUNSELOR)


def can_export_class_workbooks(user) -> bool:
    """Workbooks about the class as a whole only (shortlist, graduation): staff and orgdept."""
    return has_role(user, Role.STAFF, Role.ORGDEPT)


def can_edit_camp(user) -> bool:
    return has_role(user, Role.STAFF)


def get_camp_for(user, code: str, *, edit: bool = False) -> Camp:
    """Every role reads a camp; only staff change it."""
    if not is_member(user):
        raise Http404
    camp = get_object_or_404(Camp, code=code)
    if edit and not can_edit_camp(user):
        raise PermissionDenied
    return camp
