"""The case supervisor's pages of probable duplicates, under /<lang>/linkage/."""

from django.urls import URLPattern, path

from himaya.linkage import views

app_name = "linkage"

urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("pairs/<int:candidate_id>/", views.candidate, name="candidate"),
    path("pairs/<int:candidate_id>/merge/", views.candidate_merge, name="merge"),
    path("pairs/<int:candidate_id>/dismiss/", views.candidate_dismiss, name="dismiss"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="unmerge"),
]
