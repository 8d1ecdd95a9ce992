"""Home-page panels that apps contribute to each role's home page.

The trainees, curriculum and assessment apps each know part of what a person should see first
(the next training day, my scores, the weeks still missing a review...). camp cannot import them,
so they register panels from AppConfig.ready():

    register_panel(roles={"trainee"}, order=10, template="curriculum/panels/next_day.html",
                   context=lambda request, camp: {"day": next_training_day(...)})

The home view renders, in order, every panel for the user's role whose context function
returns a dict (None hides the panel).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string

from .access import has_role


@dataclass(frozen=True)
class Panel:
    roles: frozenset[str]
    order: int
    template: str
    context: Callable


PANELS: list[Panel] = []


def register_panel(*, roles: Iterable[str], order: int, template: str, context: Callable) -> None:
    panel = Panel(roles=frozenset(roles), order=order, template=template, context=context)
    if panel not in PANELS:
        PANELS.append(panel)


def panels_for(request, camp) -> list[tuple[str, dict]]:
    """The (template, context) pairs to render on this user's home page."""
    rendered = []
    for panel in sorted(PANELS, key=lambda p: p.order):
        if not has_role(request.user, *panel.roles):
            continue
        context = panel.context(request, camp)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


def render_panels(request, camp) -> list[str]:
    """The panels as HTML. Each is rendered with its own context, so one app's names never leak
    into another's."""
    return [
        render_to_string(template, context, request=request)
        for template, context in panels_for(request, camp)
    ]
