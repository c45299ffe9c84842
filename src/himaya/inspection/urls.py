"""The inspectorate's pages: each module of ``views`` lists its own URLs."""

from himaya.inspection.views import establishments, evidence, plan, report, visits

app_name = "inspection"

urlpatterns = [
    *establishments.urlpatterns,
    *report.urlpatterns,
    *visits.urlpatterns,
    *evidence.urlpatterns,
    *plan.urlpatterns,
]
