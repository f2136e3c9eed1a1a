import re
from decimal import Decimal
from xml.etree import ElementTree

from openveiligheid.core.charts import (
    ChartPoint,
    ReferenceLine,
    describe_series,
    line_chart,
    nice_ticks,
    sparkline,
)
from openveiligheid.core.formats import format_percentage

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def points(*values, example=()):
    return [ChartPoint(str(2020 + i), Decimal(str(v)), i in example) for i, v in enumerate(values)]


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 23555) == [0, 5000, 10000, 15000, 20000, 25000]
    assert nice_ticks(6.1, 7.6) == [6.0, 6.5, 7.0, 7.5, 8.0]
    ticks = nice_ticks(5, 5)
    assert ticks[0] < 5 < ticks[-1]


def test_sparkline_is_an_accessible_image():
    svg = sparkline(points(120, 110, 95), title="Verloop woninginbraken", chart_id="s1")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "s1-title s1-desc"
    assert root.find(f"{SVG}title").text == "Verloop woninginbraken"
    desc = root.find(f"{SVG}desc").text
    assert "3 metingen van 2020 tot 2022: van 120 naar 95" in desc


def test_sparkline_of_no_points_is_empty():
    assert sparkline([], title="x") == ""


def test_example_points_are_drawn_as_hollow_squares_and_dashed():
    svg = sparkline(points(1, 2, 3, example={2}), title="t", chart_id="s")
    root = parse(svg)
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == 1 and rects[0].get("fill") == "#ffffff"
    # One path for the real segment (solid), one for the segment towards the example (dashed).
    solid, dashed = root.iter(f"{SVG}path")
    assert solid.get("stroke-dasharray") is None
    assert dashed.get("stroke-dasharray") == "4 3"
    assert solid.get("d") == "M4.0 28.0L60.0 16.0"
    assert dashed.get("d") == "M60.0 16.0L116.0 4.0"
    assert "1 van de 3 waarden zijn voorbeelddata" in root.find(f"{SVG}desc").text


def test_sparkline_is_one_path_per_kind_of_segment():
    values = [10 + (i % 7) for i in range(60)]
    svg = sparkline(points(*values, example={30, 31}), title="t", chart_id="s")
    root = parse(svg)
    assert not list(root.iter(f"{SVG}line"))
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == 2
    # Segments 29-30, 30-31 and 31-32 touch an example value: one dashed run.
    assert paths[1].get("d").count("M") == 1 and paths[1].get("d").count("L") == 3
    # The real segments before and after the examples: two runs in the solid path.
    assert paths[0].get("d").count("M") == 2 and paths[0].get("d").count("L") == 59 - 3


def test_repeated_sparkline_refers_to_the_first_drawing():
    first = sparkline(points(1, 2, 3), title="Verloop", chart_id="headline-spark-7")
    again = sparkline(
        points(1, 2, 3), title="Verloop", chart_id="spark-7", drawn_as="headline-spark-7"
    )
    assert parse(first).find(f"{SVG}g").get("id") == "headline-spark-7-shape"
    root = parse(again)
    # Still an image with its own name and description ...
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "spark-7-title spark-7-desc"
    assert root.find(f"{SVG}title").text == "Verloop"
    assert "3 metingen" in root.find(f"{SVG}desc").text
    # ... that draws nothing itself.
    assert [child.tag for child in root] == [f"{SVG}title", f"{SVG}desc", f"{SVG}use"]
    assert root.find(f"{SVG}use").get("href") == "#headline-spark-7-shape"


def test_line_chart_has_dutch_labels_start_and_target_lines_and_legend():
    svg = line_chart(
        [ChartPoint("2022", Decimal("9.4")), ChartPoint("2023", Decimal("8.75"), True)],
        title="Ervaren overlast",
        formatter=format_percentage,
        start=ReferenceLine("Startwaarde 2022", Decimal("9.4")),
        target=ReferenceLine("Streefwaarde", Decimal("9")),
        chart_id="c",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Ervaren overlast"
    desc = root.find(f"{SVG}desc").text
    assert "van 9,4% naar 8,75%" in desc
    assert "Startwaarde 2022: 9,4%." in desc and "Streefwaarde: 9%." in desc
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    # Axis ticks with a decimal comma.
    assert any(re.fullmatch(r"\d+,\d%|\d+%", t) for t in texts)
    assert "Startwaarde 2022: 9,4%" in texts
    assert "Streefwaarde: 9%" in texts
    legend = root.find(f"{SVG}g[@class='ov-chart-legend']")
    legend_texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert legend_texts == ["Meting", "Voorbeelddata", "Startwaarde 2022", "Streefwaarde"]
    # The example point carries its own tooltip saying it is example data.
    assert "2023: 8,75% (voorbeelddata)" in svg


def test_line_chart_without_examples_has_no_example_legend():
    svg = line_chart(points(23555, 20000), title="Aantal", chart_id="c")
    assert "Voorbeelddata" not in svg
    assert ">23.555<" not in svg  # ticks are round ...
    assert "2020: 23.555" in svg  # ... the point's tooltip carries the exact value


def test_line_chart_without_points_says_so():
    svg = line_chart([], title="Leeg", chart_id="c")
    root = parse(svg)
    assert root.get("role") == "img"
    assert "Nog geen metingen." in svg


def test_text_is_escaped():
    svg = sparkline(points(1, 2), title="<script>&", chart_id="x")
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;" in svg


def test_describe_single_point():
    assert describe_series(points(7.6)) == "Eén meting: 2020 7,6."


def test_a_document_chart_leaves_out_the_tooltips_and_says_the_same():
    from openveiligheid.core.charts import describe_line_chart

    series = points(5, 6, 7, example=(2,))
    target = ReferenceLine("Doel", Decimal("4"))
    on_screen = parse(line_chart(series, title="Verloop", target=target, chart_id="c"))
    on_paper = parse(
        line_chart(series, title="Verloop", target=target, chart_id="c", tooltips=False)
    )
    assert len(on_screen.findall(f".//{SVG}title")) == 1 + len(series)
    assert len(on_paper.findall(f".//{SVG}title")) == 1
    assert on_paper.find(f"{SVG}desc").text == describe_line_chart(series, target=target)
    assert "Doel: 4." in on_paper.find(f"{SVG}desc").text
    # The same marks: a dot per measured value and a hollow square per example value, and in
    # the legend each kind of line with its own dash pattern.
    assert len(on_paper.findall(f".//{SVG}circle")) == len(on_screen.findall(f".//{SVG}circle"))
    legend = on_paper.find(f".//{SVG}g[@class='ov-chart-legend']")
    dashes = [line.get("stroke-dasharray") for line in legend.findall(f"{SVG}line")]
    assert dashes == [None, "4 3", "10 4 2 4"]


def test_a_target_on_the_lowest_value_stays_above_the_axis():
    chart = parse(
        line_chart(
            points(113, 120, 104, 100),
            title="Verloop",
            target=ReferenceLine("Doel", Decimal("90")),
            chart_id="c",
        )
    )
    target_y = float(chart.find(f".//{SVG}g[@class='ov-chart-target']/{SVG}line").get("y1"))
    axis = chart.find(f".//{SVG}g[@class='ov-chart-axis']/{SVG}line")
    assert target_y < float(axis.get("y1")) - 5
