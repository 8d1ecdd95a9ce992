"""The trainees app's panels on the trainee and counselor home pages."""

from camp.panels import register_panel
from camp.roles import Role

from .access import conduct_code_of, trainee_for_user
from .group_selectors import counseled_groups


def my_group(request, camp):
    """A trainee's group, its counselor, and whether they have written their conduct code."""
    trainee = trainee_for_user(request.user, camp)
    if trainee is None:
        return None
    return {
        "trainee": trainee,
        "group": trainee.group,
        "counselor": trainee.group.counselor if trainee.group else None,
        "conduct_code": conduct_code_of(trainee),
    }


def counseled_groups_panel(request, camp):
    """A counselor's group(s) in this camp: members, and who has no conduct code yet."""
    groups = counseled_groups(request.user, camp)
    if not groups:
        return None
    entries = [
        {
            "group": group,
            "members": group.members,
            "missing": [m for m in group.members if not m.has_conduct_code],
        }
        for group in groups
    ]
    return {"entries": entries}


def register() -> None:
    register_panel(
        roles={Role.TRAINEE}, order=10, template="trainees/panels/my_group.html", context=my_group
    )
    register_panel(
        roles={Role.COUNSELOR},
        order=10,
        template="trainees/panels/counseled_groups.html",
        context=counseled_groups_panel,
    )
