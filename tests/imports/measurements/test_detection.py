"""Format detection by content, and clear Dutch messages for files that cannot be read."""

import io
import json
import zipfile

import pytest

from openveiligheid.imports.measurements import UnreadableFile, detect_format, read_table

from .samples import data, survey_workbook

KNOWN = "Dit bestand is geen CSV, JSON of Excel-bestand dat Open Veiligheid kent"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("politie_47013NED_misdrijven_gemeente_2022_2023.csv", "statline_csv"),
        ("cbs_83648NED_misdrijven_gemeente_sample.csv", "cbs_typed_csv"),
        ("gemeenten_2023_bevolking_misdaad.csv", "cbs_typed_csv"),
        ("cbs_83648NED_odata_sample.json", "cbs_odata_json"),
        ("cbs_83648NED_gemeenten_2022_sample.geojson", "geojson"),
        ("misdaad_in_kaart_woninginbraak_pc4_sample.csv", "incidents"),
        ("amsterdam_veiligheidsindex_sample.csv", "survey"),
    ],
)
def test_detected_by_content_whatever_the_name(sample, expected):
    content = data(sample)
    assert detect_format(sample, content) == expected
    # Renamed, with a misleading extension: still recognised.
    assert detect_format("upload.xlsx", content) == expected
    assert read_table(sample, content).format == expected


def test_workbook_detected_by_content():
    assert detect_format("monitor.csv", survey_workbook()) == "survey"


def test_windows_1252_and_utf16_exports():
    text = '"Onderwerp";"Geregistreerde misdrijven"\n"Perioden";"2023"\n"Regio\'s";"aantal"\n'
    text += '"Súdwest-Fryslân";"1234"\n'
    for encoding in ("cp1252", "utf-16", "utf-8-sig"):
        table = read_table("x.csv", text.encode(encoding))
        assert table.observations[0].region == "Súdwest-Fryslân"
        assert table.observations[0].value == 1234


def test_forced_source_must_fit_the_content():
    content = data("cbs_83648NED_gemeenten_2022_sample.geojson")
    assert read_table("x", content, source="geojson").format == "geojson"
    with pytest.raises(
        UnreadableFile, match="opgegeven als incidentenlijst, maar het is een GeoJSON"
    ):
        read_table("x", content, source="incidents")
    with pytest.raises(UnreadableFile, match="Onbekende bron 'politie'"):
        read_table("x", content, source="politie")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het bestand 'kapot.csv' is leeg."),
        (b"  \n\r\n ", "Het bestand 'kapot.csv' is leeg."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", f"{KNOWN}: het bevat binaire gegevens"),
        (b"%PDF-1.7\n...", f"{KNOWN}: het is een PDF."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, f"{KNOWN}: het is een oud Office"),
        (_zip({"data.csv": b"a,b"}), f"{KNOWN}: het is een ZIP-bestand."),
        (_zip({"word/document.xml": b"<w/>"}), f"{KNOWN}: het is een Word-document."),
        (b"PK\x03\x04 broken", f"{KNOWN}: het is een beschadigd ZIP- of Excel-bestand."),
        (b'{"value": [1, 2', f"{KNOWN}: het lijkt JSON, maar is onleesbaar rond regel 1"),
        (json.dumps({"name": "Jan"}).encode(), f"{KNOWN}: het is JSON, maar geen CBS OData-tabel"),
        (b"<!DOCTYPE html><html><body>Zoek</body></html>", f"{KNOWN}: het is een webpagina"),
        (b"<?xml version='1.0'?><feed/>", f"{KNOWN}: het is XML."),
        (
            b"Beste collega\nHierbij de cijfers.\nGroet Jan\n",
            f"{KNOWN}: geen kopregel met kolomnamen gevonden.",
        ),
        (
            b"naam,adres,woonplaats\nJan,Dorpsstraat 1,Epe\nPiet,Kerkweg 2,Epe\n",
            f"{KNOWN}: er staan geen kolommen met getallen in (kolommen: naam, adres, woonplaats).",
        ),
        (
            b"gemeente,misdrijven\nEpe,915\nHeerde,400\n",
            "Geen periode gevonden: voeg een kolom 'jaar' of 'Perioden' toe",
        ),
        (
            b"jaar,misdrijven\n2022,915\n2023,400\n",
            "Geen kolom met gebieden gevonden",
        ),
        (
            b"gemeente;jaar;misdrijven\n",
            f"{KNOWN}: de tabel heeft kolomnamen maar geen regels met cijfers eronder.",
        ),
        (
            b"Groet, Jan\nHierbij de cijfers, zie bijlage.\n",
            f"{KNOWN}: er staan geen kolommen met getallen in (kolommen: Groet, Jan).",
        ),
        (
            b'"Onderwerp";"Misdrijven\n"Perioden";"2023"\n',
            f"{KNOWN}: de tabel heeft kolomnamen maar geen regels met cijfers eronder.",
        ),
    ],
)
def test_unreadable_files_get_a_dutch_message(content, message):
    with pytest.raises(UnreadableFile) as caught:
        read_table("kapot.csv", content)
    assert str(caught.value).startswith(message), str(caught.value)


def test_empty_workbook():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(UnreadableFile, match="bevat geen tabellen met cijfers"):
        read_table("leeg.xlsx", buffer.getvalue())
