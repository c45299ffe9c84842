"""URL configuration.

- ``/<lang>/...``: pages (French, Arabic, English), through ``i18n_patterns``.
- ``/api/``: the Ninja API (see ``himaya.config.api``).
- ``/i18n/setlang/``: Django's ``set_language`` view, used by the language switcher.
- ``/admin/``: Django admin.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from himaya.accounts.forms import ThrottledAuthenticationForm
from himaya.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("himaya.core.urls")),
    path("cases/", include("himaya.cases.urls")),
    path("work/", include("himaya.workspace.urls")),
    path("inspection/", include("himaya.inspection.urls")),
    path("linkage/", include("himaya.linkage.urls")),
    path("statistics/", include("himaya.survey.urls")),
    path("geo/", include("himaya.geography.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
)
