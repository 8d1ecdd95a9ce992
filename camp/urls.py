from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_account, views_exports, views_history, views_retention

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views_account.AccountPasswordView.as_view(),
        name="password-change",
    ),
    path("camps/", views.camp_list, name="camp-list"),
    path("camps/new/", views.camp_new, name="camp-new"),
    path("camps/<str:code>/", views.camp_detail, name="camp-detail"),
    path("camps/<str:code>/edit/", views.camp_edit, name="camp-edit"),
    path("audit/sensitive/", views.sensitive_log, name="sensitive-log"),
    path(
        "camps/<str:code>/exports/<str:kind>/",
        views_exports.export_download,
        name="export-download",
    ),
    path("audit/retention/", views_retention.retention_page, name="retention"),
    path("history/", views_history.history_index, name="history-index"),
    path("history/trainee/<int:pk>/", views_history.trainee_history, name="history-trainee"),
    path(
        "history/object/<str:label>/<int:pk>/",
        views_history.object_history,
        name="history-object",
    ),
    path("", include("camp.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("camp.views_drafts")),
    path("", include("trainees.urls")),
    path("", include("curriculum.urls")),
    path("", include("assessment.urls")),
    path("", include("oversight.urls")),
    path("admin/", admin.site.urls),
]

# 403, 404 and 500 use Django's default handlers with templates/<status>.html.
handler400 = "camp.views_errors.bad_request"
