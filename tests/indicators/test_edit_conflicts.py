"""No lost updates on figures: a measurement or duiding that someone else recorded after the
form was shown is never silently replaced, on the indicator page (the form shows what is stored)
and in the API (ETag; If-Match and If-None-Match: * answered with 412)."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from openveiligheid.core.concurrency import EditConflict
from openveiligheid.indicators import services
from openveiligheid.indicators.models import Interpretation, Measurement
from tests.permissions import login

pytestmark = pytest.mark.django_db


def page_url(indicator) -> str:
    return reverse("indicators:detail", args=[indicator.plan.slug, indicator.slug])


def post_url(indicator) -> str:
    return reverse("indicators:add-measurement", args=[indicator.plan.slug, indicator.slug])


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="(\d+)"', html)[1]


def form_data(html: str, **fields) -> dict:
    return {
        "version": hidden(html, "version"),
        "interpretation_version": hidden(html, "interpretation_version"),
        **fields,
    }


def test_a_figure_recorded_meanwhile_is_not_replaced_by_a_stale_form(client, world):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    page = client.get(page_url(indicator)).content.decode()
    # Someone else records 2023 while the form is open.
    services.record_measurement(
        indicator=indicator, period="2023", value="111", actor=world.users["administrator"]
    )

    response = client.post(post_url(indicator), form_data(page, period="2023", value="99"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hiervoor is al iets vastgelegd" in html
    assert "ov-edit-conflict" in html and "111" in html  # what is stored is shown
    stored = Measurement.objects.get(indicator=indicator, period_start="2023-01-01")
    assert stored.value == 111

    # The form came back on the stored version: saving again replaces it deliberately.
    assert (
        client.post(post_url(indicator), form_data(html, period="2023", value="99")).status_code
        == 302
    )
    stored.refresh_from_db()
    assert stored.value == 99


def test_a_duiding_written_meanwhile_is_not_replaced_by_a_stale_form(client, world):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    page = client.get(page_url(indicator)).content.decode()
    services.write_interpretation(
        indicator=indicator, period="2022", text="Daling door buurtpreventie.", actor=None
    )

    data = form_data(page, period="2022", value="120", interpretation="Mijn duiding.")
    response = client.post(post_url(indicator), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Daling door buurtpreventie." in html
    assert Interpretation.objects.get(indicator=indicator).text == "Daling door buurtpreventie."

    data = form_data(html, period="2022", value="120", interpretation="Mijn duiding.")
    assert client.post(post_url(indicator), data).status_code == 302
    assert Interpretation.objects.get(indicator=indicator).text == "Mijn duiding."


def test_the_measurement_api_gives_an_etag_and_refuses_a_stale_if_match(client, world):
    indicator = world.objects["a"]["indicator"]
    measurement = indicator.measurements.get()
    login(client, world.users["programme_manager"])
    detail = client.get(reverse("measurement-detail", args=[measurement.pk]))
    etag = detail["ETag"]
    assert etag == f'"{detail.json()["version"]}"'

    services.record_measurement(indicator=indicator, period="2022", value="121", actor=None)
    body = {"indicator": indicator.pk, "period": "2022", "value": "130"}
    url = reverse("measurement-list")
    stale = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "gewijzigd" in stale.json()["detail"]
    measurement.refresh_from_db()
    assert measurement.value == 121

    fresh = client.get(reverse("measurement-detail", args=[measurement.pk]))["ETag"]
    ok = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=fresh)
    assert ok.status_code == 200
    assert ok["ETag"] != fresh
    # Create only: the period exists, so If-None-Match: * is refused.
    only_new = client.post(url, body, content_type="application/json", HTTP_IF_NONE_MATCH="*")
    assert only_new.status_code == 412
    assert "al iets vastgelegd" in only_new.json()["detail"]
    new = {"indicator": indicator.pk, "period": "2023", "value": "100"}
    created = client.post(url, new, content_type="application/json", HTTP_IF_NONE_MATCH="*")
    assert created.status_code == 201
    assert created["ETag"] == '"1"'


def test_the_interpretation_api_refuses_a_stale_if_match(client, world):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    url = reverse("interpretation-list")
    body = {"indicator": indicator.pk, "period": "2022", "text": "Eerste duiding."}
    created = client.post(url, body, content_type="application/json", HTTP_IF_NONE_MATCH="*")
    assert created.status_code == 201
    etag = created["ETag"]
    detail = client.get(reverse("interpretation-detail", args=[created.json()["id"]]))
    assert detail["ETag"] == etag

    services.write_interpretation(indicator=indicator, period="2022", text="Tussendoor.")
    body["text"] = "Mijn duiding."
    stale = client.post(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Interpretation.objects.get(indicator=indicator).text == "Tussendoor."
    again = client.post(url, body, content_type="application/json", HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412
    bad = client.post(url, body, content_type="application/json", HTTP_IF_NONE_MATCH='"3"')
    assert bad.status_code == 412


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a real race needs PostgreSQL (SQLite serialises whole transactions)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_create_only_writes_give_one_duiding_and_conflicts_for_the_rest(world):
    """Four clients write the first duiding of a period at once with If-None-Match: * (ABSENT):
    one creates it, the others get EditConflict (412 in the API), never a server error."""
    indicator = world.objects["a"]["indicator"]
    barrier = threading.Barrier(4)
    outcomes: list = []

    def write(number):
        try:
            barrier.wait(timeout=10)
            services.write_interpretation(
                indicator=indicator, period="2019", text=f"Duiding {number}", expected_version=0
            )
            outcomes.append("created")
        except EditConflict:
            outcomes.append("conflict")
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            outcomes.append(repr(error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["conflict"] * 3 + ["created"], outcomes
    assert Interpretation.objects.filter(indicator=indicator).count() == 1
