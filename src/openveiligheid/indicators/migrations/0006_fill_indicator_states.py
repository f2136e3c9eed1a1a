"""Compute the stored state of every existing indicator (indicators.state) from its measurements."""

from django.db import migrations


def fill_states(apps, schema_editor):
    from openveiligheid.indicators import state

    state.refresh_all(
        state.Models(
            Plan=apps.get_model("plans", "Plan"),
            Indicator=apps.get_model("indicators", "Indicator"),
            Measurement=apps.get_model("indicators", "Measurement"),
            IndicatorState=apps.get_model("indicators", "IndicatorState"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_indicator_state"), ("plans", "0001_initial")]

    operations = [migrations.RunPython(fill_states, migrations.RunPython.noop, elidable=True)]
