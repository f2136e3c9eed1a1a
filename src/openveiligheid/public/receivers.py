from openveiligheid.public.services import notify_subscribers


def mail_subscribers(sender, report, **kwargs):
    """A report was published: its municipality's confirmed subscribers get a mail."""
    notify_subscribers(report)
