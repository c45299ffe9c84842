from django.urls import path

from himaya.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("mine/<slug:section>/", views.my_work_section, name="my_work_section"),
    path("inbox/", views.inbox, name="inbox"),
    path("referrals/<int:referral_id>/", views.referral, name="referral"),
    path("referrals/<int:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:referral_id>/refuse/", views.referral_refuse, name="referral_refuse"),
    path("referrals/<int:referral_id>/deliver/", views.referral_deliver, name="referral_deliver"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
