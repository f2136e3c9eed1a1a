"""The reports API: reports of a plan, their workflow, duiding and files."""
