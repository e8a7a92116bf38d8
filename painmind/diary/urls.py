from __future__ import annotations

from django.urls import path

from painmind.diary.views import answers, checkins, edits, entries, questionnaires

app_name = "diary"
urlpatterns = [
    path("me/", checkins.home, name="home"),
    path("me/checkins/", entries.entries, name="entries"),
    path("me/checkins/<int:checkin_id>/edit/", edits.edit_checkin, name="edit_checkin"),
    path("me/checkins/<int:checkin_id>/delete/", edits.delete_checkin, name="delete_checkin"),
    path("me/measures/", questionnaires.measures_home, name="measures"),
    path("me/measures/responses/<int:response_id>/", questionnaires.response_detail, name="response"),
    path("me/measures/<slug:instrument_id>/", questionnaires.questionnaire, name="questionnaire"),
    path("me/measures/<slug:instrument_id>/history/", questionnaires.history, name="history"),
    path("clinician/patients/<int:patient_id>/diary/", checkins.patient_diary, name="patient_diary"),
    path(
        "clinician/patients/<int:patient_id>/diary/<int:checkin_id>/",
        edits.patient_checkin_history,
        name="patient_checkin_history",
    ),
    path("clinician/patients/<int:patient_id>/measures/", questionnaires.patient_measures, name="patient_measures"),
    path(
        "clinician/patients/<int:patient_id>/responses/<int:response_id>/",
        answers.patient_response,
        name="patient_response",
    ),
]
