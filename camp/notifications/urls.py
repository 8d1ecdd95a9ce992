from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("account/notifications/", views.notification_settings, name="notification-settings"),
    path(
        "account/notifications/<int:user_pk>/",
        views.notification_settings,
        name="notification-settings-for",
    ),
]
