from functools import cache, partial

from .navigation import current_camp_for, menu_fragment, navigation_for
from .notifications.selectors import unread_count
from .todos import open_todo_count


def navigation(request):
    """The header's menu, the camp the user is working in, and the number of open to-dos, for
    every page. The menu, the home page's shortcuts and the counts are callables, so a page
    whose template never shows one costs nothing for it, and the menu comes kept rendered."""
    user = request.user
    if not user.is_authenticated:
        return {}
    camp = current_camp_for(user)
    return {
        "current_camp": camp,
        "menu": partial(menu_fragment, user, camp),
        "menu_shortcuts": cache(lambda: navigation_for(user, camp=camp)["menu_shortcuts"]),
        "todo_count": partial(open_todo_count, request, camp),
        "unread_count": partial(unread_count, request),
    }
