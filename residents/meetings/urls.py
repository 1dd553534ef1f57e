"""Meeting pages, under /dashboard/."""

from django.urls import path

from residents.meetings import views as meetings

HOUSE = "houses/<int:house_id>/"

urlpatterns = [
    path(f"{HOUSE}meetings/", meetings.house_meetings, name="house-meetings"),
    path(f"{HOUSE}meetings/log/", meetings.house_meeting_log, name="house-meeting-log"),
]
