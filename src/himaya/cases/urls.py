"""The caseworker's pages, under /<lang>/cases/. Record ids only in URLs, never names."""

from django.urls import URLPattern, path

from himaya.cases import views

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="list"),
    path("identify/", views.identify, name="identify"),
    path("identify/preview/", views.identify_preview, name="identify_preview"),
    path("identify/known/", views.identify_candidates, name="identify_candidates"),
    path(
        "identifications/<int:observation_id>/",
        views.identification_saved,
        name="identification_saved",
    ),
    path("children/<int:child_id>/identify/", views.identify_child, name="identify_child"),
    path(
        "children/<int:child_id>/identify/preview/",
        views.identify_child_preview,
        name="identify_child_preview",
    ),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/providers/", views.case_providers, name="providers"),
    path("<int:case_id>/assess/", views.case_assess, name="assess"),
    path(
        "<int:case_id>/assessment/approve/",
        views.case_approve_assessment,
        name="approve_assessment",
    ),
    path("<int:case_id>/consent/", views.case_consent, name="consent"),
    path("<int:case_id>/refer/", views.case_refer, name="refer"),
    path("<int:case_id>/follow-up/", views.case_follow_up, name="follow_up"),
    path("<int:case_id>/monitoring/start/", views.case_start_monitoring, name="start_monitoring"),
    path("<int:case_id>/panels/<slug:panel>/", views.case_panel, name="panel"),
    path("<int:case_id>/closure/request/", views.case_request_closure, name="request_closure"),
    path(
        "<int:case_id>/closure/communes/",
        views.case_transfer_communes,
        name="transfer_communes",
    ),
    path("<int:case_id>/closure/approve/", views.case_approve_closure, name="approve_closure"),
    path("<int:case_id>/closure/reject/", views.case_reject_closure, name="reject_closure"),
    path("<int:case_id>/assign/", views.case_assign, name="assign"),
]
