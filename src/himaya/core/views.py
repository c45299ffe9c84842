from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from himaya.workspace.access import start_page


def home(request: HttpRequest) -> HttpResponse:
    """The welcome page; a logged-in user goes on to the page of their role."""
    page = start_page(request.user)
    if page is not None:
        return redirect(page)
    return render(request, "core/home.html")
