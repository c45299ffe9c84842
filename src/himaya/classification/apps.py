from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "himaya.classification"
    verbose_name = "Classification"
