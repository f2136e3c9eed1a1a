from datetime import date

import pytest

from openveiligheid.core.periods import Period, parse_period


@pytest.mark.parametrize(
    ("text", "code", "label", "start", "end"),
    [
        ("2023", "2023", "2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-H2", "2023-H2", "2e helft 2023", date(2023, 7, 1), date(2023, 12, 31)),
        ("2024-q1", "2024-Q1", "1e kwartaal 2024", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-02", "2024-02", "februari 2024", date(2024, 2, 1), date(2024, 2, 29)),
        (" 2025 - 5 ", "2025-05", "mei 2025", date(2025, 5, 1), date(2025, 5, 31)),
    ],
)
def test_parse_period(text, code, label, start, end):
    period = parse_period(text)
    assert (period.code, period.label, period.start, period.end) == (code, label, start, end)


@pytest.mark.parametrize("text", ["", "23", "2024-13", "2024-H3", "2024-Q5", "volgend jaar"])
def test_parse_period_refuses_with_dutch_message(text):
    with pytest.raises(ValueError) as error:
        parse_period(text)
    assert "periode" in str(error.value) or "maand" in str(error.value)


def test_period_must_start_on_its_boundary():
    with pytest.raises(ValueError):
        Period("quarter", date(2024, 2, 1))
