from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import schema
from .errors import NOT_FOUND, error_body
from .views import adaptations, oauth, pupils, special, statistics

app_name = "api"


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under the API: the same JSON 404 as a missing object."""
    return JsonResponse(error_body("not_found", NOT_FOUND), status=404)


urlpatterns = [
    path("schema/", schema.schema_view, name="schema"),
    path("", schema.reference, name="reference"),
    path("oauth/token/", oauth.token, name="token"),
    path("pupils/", pupils.PupilList.as_view(), name="pupil_list"),
    path("pupils/<int:pk>/", pupils.PupilDetail.as_view(), name="pupil_detail"),
    path(
        "pupils/<int:pk>/adaptations/",
        adaptations.PupilAdaptations.as_view(),
        name="pupil_adaptations",
    ),
    path("pupils/<int:pk>/referrals/", special.PupilReferrals.as_view(), name="pupil_referrals"),
    path(
        "pupils/<int:pk>/investigations/",
        special.PupilInvestigations.as_view(),
        name="pupil_investigations",
    ),
    path("pupils/<int:pk>/programmes/", special.PupilProgrammes.as_view(), name="pupil_programmes"),
    path("pupils/<int:pk>/decisions/", special.PupilDecisions.as_view(), name="pupil_decisions"),
    path("adaptations/<int:pk>/", adaptations.AdaptationDetail.as_view(), name="adaptation"),
    path(
        "adaptations/<int:pk>/follow-ups/",
        adaptations.AdaptationFollowUp.as_view(),
        name="adaptation_follow_up",
    ),
    path(
        "adaptations/<int:pk>/evaluations/",
        adaptations.AdaptationEvaluate.as_view(),
        name="adaptation_evaluate",
    ),
    path("referrals/<int:pk>/", special.ReferralDetail.as_view(), name="referral"),
    path("investigations/<int:pk>/", special.InvestigationDetail.as_view(), name="investigation"),
    path("programmes/<int:pk>/", special.ProgrammeDetail.as_view(), name="programme"),
    path(
        "programmes/<int:pk>/follow-ups/",
        special.ProgrammeFollowUp.as_view(),
        name="programme_follow_up",
    ),
    path("decisions/<int:pk>/", special.DecisionDetail.as_view(), name="decision"),
    path(
        "decisions/<int:pk>/notifications/",
        special.DecisionNotification.as_view(),
        name="decision_notification",
    ),
    path("appeals/<int:pk>/", special.AppealDetail.as_view(), name="appeal"),
    path(
        "units/<int:pk>/statistics/",
        statistics.UnitStatistics.as_view(),
        name="unit_statistics",
    ),
    path(
        "organisers/<int:pk>/statistics/",
        statistics.OrganiserStatistics.as_view(),
        name="organiser_statistics",
    ),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),  # any character, a newline too
]
