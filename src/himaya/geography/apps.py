from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "himaya.geography"
    default_auto_field = "django.db.models.BigAutoField"
