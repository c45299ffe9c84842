from django.urls import path

from himaya.geography import views

app_name = "geography"

urlpatterns = [
    path("provinces/", views.provinces, name="provinces"),
    path("communes/", views.communes, name="communes"),
]
