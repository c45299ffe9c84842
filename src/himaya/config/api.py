"""The single Django Ninja API of Himaya, mounted at /api/.

OpenAPI schema: /api/openapi.json; interactive docs: /api/docs.

Each app exposes one ``router`` in its own ``api.py``; add it below, in the
"App routers" section, with ``api.add_router("/<app>/", <app>_router)``.
"""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

api = NinjaAPI(
    title="Himaya API",
    version="1",
    description="Information system against child labour.",
    urls_namespace="api",
)


class HealthOut(Schema):
    status: str


@api.get("/health", response=HealthOut, tags=["system"], summary="Liveness check")
def health(request: HttpRequest) -> HealthOut:
    return HealthOut(status="ok")


# --- App routers ---------------------------------------------------------------
# One line per app, keep them sorted, e.g.:
# from himaya.cases.api import router as cases_router
# api.add_router("/cases/", cases_router)
