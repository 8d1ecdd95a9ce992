from .navigation import navigation_for


def navigation(request):
    """The header's menu and the camp the user is working in, for every page."""
    return navigation_for(request.user)
