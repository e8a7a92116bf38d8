from __future__ import annotations

from allauth.account import views as allauth_views
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path

from config.api import api, api_not_found
from painmind.accounts import views as account_views


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", account_views.home, name="home"),
    # Signing in and out are django-allauth's (docs/accounts.md), at the addresses people know;
    # the rest of its pages (reset, change, e-mail, two-factor) live under /accounts/.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("accounts/", include("allauth.urls")),
    path("", include("painmind.accounts.urls")),
    path("", include("painmind.safety.urls")),
    path("", include("painmind.diary.urls")),
    path("", include("painmind.meds.urls")),
    path("", include("painmind.care.urls")),
    path("", include("painmind.careplan.urls")),
    path("", include("painmind.insights.urls")),
    path("", include("painmind.reminders.urls")),
    path("", include("painmind.selfcare.urls")),
    path("", include("painmind.exchange.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404 for any other address under /api/
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
