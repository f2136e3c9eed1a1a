from django.urls import path

from openveiligheid.meetings import views

app_name = "meetings"
urlpatterns = [
    path("overleggen/", views.series_list, name="series-list"),
    path("overleggen/<int:pk>/", views.calendar, name="calendar"),
    path("overleggen/<int:pk>/jaarkalender.docx", views.calendar_docx, name="calendar-docx"),
    path("overleggen/<int:pk>/jaarkalender.pdf", views.calendar_pdf, name="calendar-pdf"),
    path(
        "overleggen/organisatie/<slug:slug>/<int:year>/",
        views.organisation_calendar,
        name="organisation-calendar",
    ),
    path("overleggen/vergadering/<int:pk>/", views.agenda, name="agenda"),
    path("overleggen/vergadering/<int:pk>/agenda.docx", views.agenda_docx, name="agenda-docx"),
    path("overleggen/vergadering/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("overleggen/vergadering/<int:pk>/inplannen/", views.schedule, name="schedule"),
    path(
        "overleggen/agendapunt/<int:pk>/gerapporteerd/",
        views.mark_reported,
        name="mark-reported",
    ),
]
