"""Menu entries of the assessment app (registered once from AssessmentConfig.ready)."""

from camp.navigation import MENU, add_menu_item

# (label, url name, roles). Labels are msgids: camp.navigation translates them.
ITEMS: list[tuple[str, str, set[str]]] = []


def register() -> None:
    known = {entry[1] for entry in MENU}
    for label, url_name, roles in ITEMS:
        if url_name not in known:
            add_menu_item(label, url_name, roles)
