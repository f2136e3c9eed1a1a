"""Events other apps may listen to. Reports sits below the public pages, so it never calls them:
it announces a publication and the public app (which e-mails the subscribers) listens."""

from django.dispatch import Signal

# Sent once a report's publication is committed, with report=<Report>.
report_published = Signal()
