"""The analysts' pages of survey estimates, under /<lang>/statistics/."""

from django.urls import URLPattern, path

from himaya.survey import views

app_name = "survey"

urlpatterns: list[URLPattern] = [
    path("", views.survey_list, name="list"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/progress/", views.survey_progress, name="progress"),
    path("<int:survey_id>/files/<str:name>", views.survey_file, name="file"),
]
