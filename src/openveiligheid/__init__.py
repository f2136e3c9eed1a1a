"""Open Veiligheid: integral safety policy from plan to accountability."""

__version__ = "0.1.0"
