from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "himaya.linkage"
    verbose_name = "Record linkage"
