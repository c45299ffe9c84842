from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "himaya.survey"
    label = "survey"
    verbose_name = "Survey estimates"
