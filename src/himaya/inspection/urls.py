from django.urls import path

from himaya.inspection import views

app_name = "inspection"

urlpatterns = [
    path("establishments/", views.establishment_list, name="establishments"),
    path("establishments/new/", views.establishment_create, name="establishment_create"),
    path("establishments/import/", views.establishment_import, name="establishment_import"),
    path(
        "establishments/<int:establishment_id>/", views.establishment_detail, name="establishment"
    ),
]
