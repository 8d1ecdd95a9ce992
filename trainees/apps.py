from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("学员与选调")

    def ready(self) -> None:
        # Registers this app's workbook kinds with camp.workbooks.
        from camp.services.camps import CAMP_CREATED_HOOKS

        from . import exports  # noqa: F401
        from .services.groups import study_groups_create

        CAMP_CREATED_HOOKS.append(lambda camp: study_groups_create(camp=camp))
        # What this app holds about a person, and who has expired (camp.retention).
        from . import retention

        retention.register()
        self._selection_ready()
        self._groups_ready()

    def _groups_ready(self) -> None:
        """Study groups: home pages of trainees and counselors, their panels, the menu, and
        the demo camp's backbone step."""
        from camp import views as camp_views
        from camp.navigation import add_menu_item
        from camp.roles import Role

        from . import demo, demo_editions, panels, todos  # noqa: F401  (demo registers its step on import)

        camp_views.ROLE_HOMES.setdefault(Role.TRAINEE, "trainee-home")
        camp_views.ROLE_HOMES.setdefault(Role.COUNSELOR, "counselor-home")
        panels.register()
        todos.register()
        # Who sees an entry is whoever its page lets in (camp.navigation asks the view).
        add_menu_item(gettext_noop("学习小组"), "group-list")
        add_menu_item(gettext_noop("个人修养要则"), "conduct-mine")

    def _selection_ready(self) -> None:
        """Selection's menu entries, and the camp page as the home of those who oversee it."""
        from camp import views as camp_views
        from camp.navigation import add_menu_item
        from camp.roles import Role

        from .access import can_read_selection

        for role in (Role.STAFF, Role.ORGDEPT, Role.LEADER):
            camp_views.ROLE_HOMES.setdefault(role, "overview-current")
        # Selection is a 404 to those outside it (the view decides inside), so the menu asks.
        add_menu_item(gettext_noop("候选人/选调"), "candidate-list", visible=can_read_selection)
        add_menu_item(gettext_noop("学员名册"), "roster")
        add_menu_item(gettext_noop("届次"), "camp-list", per_camp=False)
        # Across every edition, for those who read every profile (the organization department
        # follows trainees for promotion).
        add_menu_item(gettext_noop("学员查询"), "trainee-search", per_camp=False)
