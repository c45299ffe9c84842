from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Himaya's user.

    Declared at the start of the project so that fields can be added later
    without swapping ``AUTH_USER_MODEL`` on a live database.
    """
