from functools import partial

from .navigation import navigation_for
from .notifications.selectors import unread_count
from .todos import open_todo_count


def navigation(request):
    """The header's menu, the camp the user is working in, and the number of open to-dos, for
    every page. The count is a callable, so a page whose template never shows it costs
    nothing."""
    context = navigation_for(request.user)
    if context:
        context["todo_count"] = partial(open_todo_count, request, context["current_camp"])
    if request.user.is_authenticated:
        context["unread_count"] = partial(unread_count, request)
    return context
