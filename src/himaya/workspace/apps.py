from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Pages that gather work across records: my work, referral inbox, dashboard."""

    name = "himaya.workspace"
