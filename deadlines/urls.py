from django.urls import path

from deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("coalitions/<int:pk>/timeline/", views.coalition_timeline, name="timeline"),
    path("account/calendar/", views.calendar_feed_page, name="calendar"),
    path("account/calendar/regenerate/", views.calendar_feed_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("coalitions/<int:pk>/reminders/", views.coalition_reminders, name="coalition_reminders"),
    path("account/reminders/", views.my_reminders, name="my_reminders"),
]
