"""The documents' URLs. Staff documents are in the ``documents`` namespace, which asks for the
second factor like the support pages they come from (``ELEVSTOD_STEP_UP_NAMESPACES``)."""

from django.urls import include, path

from . import views

staff = (
    [
        path("atgardsprogram/<int:pk>/pdf/", views.programme_pdf, name="programme_pdf"),
        path("beslut/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
        path("utredningar/<int:pk>/pdf/", views.investigation_pdf, name="investigation_pdf"),
        path("elever/<int:pupil_pk>/stodhistorik/pdf/", views.history_pdf, name="history_pdf"),
    ],
    "documents",
)

# The family's copy of a decision: outside the staff namespace, whose step-up turns away users
# without a duty; the view asks for the party's own second factor.
family = (
    [path("mitt-barn/beslut/<int:pk>/pdf/", views.party_decision_pdf, name="decision_pdf")],
    "family_documents",
)

# The written development plan: read by the pupil, the guardians and the staff who teach the
# pupil, like its page (outside the step-up namespaces; the view asks ``step_up_valid`` before
# it shows staff the adaptations not shown to the family).
plans = (
    [path("utvecklingsplan/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf")],
    "plan_documents",
)

urlpatterns = [path("", include(staff)), path("", include(family)), path("", include(plans))]
