from django.urls import path

from .views import plans, talks

app_name = "conversations"

urlpatterns = [
    path("samtal/elev/<int:pk>/", talks.pupil_talks, name="pupil_talks"),
    path("samtal/elev/<int:pk>/planera/", talks.talk_plan, name="talk_plan"),
    path("samtal/elev/<int:pk>/boka/", talks.talk_book, name="talk_book"),
    path("samtal/elev/<int:pk>/avboka/", talks.talk_cancel, name="talk_cancel"),
    path("samtal/elev/<int:pk>/ny-plan/", plans.plan_start, name="plan_start"),
    path("samtal/<int:pk>/", talks.talk_detail, name="talk_detail"),
    path("samtal/<int:pk>/forberedelse/", talks.talk_prepare, name="talk_prepare"),
    path("samtal/<int:pk>/anteckningar/", talks.talk_record, name="talk_record"),
    path("samtal/grupp/<int:pk>/tider/", talks.group_times, name="group_times"),
    path("samtal/tid/<int:pk>/ta-bort/", talks.slot_withdraw, name="slot_withdraw"),
    path("samtal/enhet/<int:pk>/", talks.unit_overview, name="unit_overview"),
    path("samtal/enhet/<int:pk>/fragor/", talks.unit_questions, name="unit_questions"),
    path("utvecklingsplan/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("utvecklingsplan/<int:pk>/skriv/", plans.plan_edit, name="plan_edit"),
    path("utvecklingsplan/<int:pk>/amne/", plans.plan_subject, name="plan_subject"),
    path("utvecklingsplan/<int:pk>/ogonblicksbild/", plans.plan_snapshot, name="plan_snapshot"),
    path("utvecklingsplan/<int:pk>/faststall/", plans.plan_fix, name="plan_fix"),
    path("anpassning/<int:pk>/utvecklingsplan/", plans.adaptation_plan, name="adaptation_plan"),
]
