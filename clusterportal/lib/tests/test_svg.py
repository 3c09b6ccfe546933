"""The SVG chart helper: accessible, escaped, scaled."""

from clusterportal.lib import svg


def test_a_bubble_chart_is_an_accessible_image_with_escaped_labels():
    chart = svg.bubble_chart(
        [
            svg.Bubble("<script>Auto & Co</script>", 0.02, 5.8, 200_000, highlight=True),
            svg.Bubble("Möbel", -0.01, 0.5, 10_000, show_label=True),
            svg.Bubble("ohne Wert", None, 1.2, 5_000),
        ],
        title="Portfolio",
        desc="Beschreibung",
        x_label="Wachstum",
        y_label="SQ",
    )
    assert chart.startswith("<svg")
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    assert "<script>" not in chart
    assert "&lt;script&gt;Auto &amp; Co&lt;/script&gt;" in chart
    assert chart.count("<circle") == 2  # the bubble without a value is left out
    assert 'style="' not in chart  # the CSP forbids inline styles


def test_log_ticks_cover_the_range_in_powers_of_two():
    assert svg.log_ticks(0.3, 5.8) == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]


def test_nice_ticks_are_round_numbers_covering_the_range():
    assert svg.nice_ticks(-0.013, 0.043) == [-0.02, 0.0, 0.02, 0.04, 0.06]
    assert svg.nice_ticks(0, 341_784)[-1] >= 341_784


def test_line_and_bar_charts_draw_one_line_per_series_and_one_bar_per_value():
    lines = svg.line_chart(
        [svg.Series("A", [(2015, 1.0), (2020, 2.0)]), svg.Series("B", [(2015, None), (2020, 3.0)])],
        title="t",
        desc="d",
        y_label="y",
    )
    assert lines.count("<polyline") == 2
    bars = svg.bar_chart(
        [svg.Bar("a", 1.5), svg.Bar("b", None)], title="t", desc="d", reference=1.0
    )
    assert bars.count("<rect") == 1
    assert "stroke-dasharray" in bars


def test_a_tiny_bubble_off_the_scale_does_not_stretch_the_axes_and_is_marked():
    """A group of 9 employees growing 60 % a year had stretched the axis to 60 %."""
    import re

    from django.utils import translation

    bubbles = [
        svg.Bubble("Fahrzeugbau", 0.021, 3.1, 160_000, highlight=True),
        svg.Bubble("Handel", -0.012, 0.9, 90_000),
        svg.Bubble("Klein", 0.6, 1.4, 9),
    ]
    with translation.override("de"):
        chart = svg.bubble_chart(
            bubbles, title="t", desc="Beschreibung.", x_label="x", y_label="y", decimal=","
        )
    ticks = [t for t in re.findall(r">(-?[\d,]+) %<", chart)]
    assert ticks == ["-2", "-1", "0", "1", "2", "3"]  # not up to 60 %
    klein = re.search(
        r'<circle cx="([\d.]+)"[^>]*fill="none"[^>]*stroke-dasharray[^>]*><title>Klein', chart
    )
    assert klein and float(klein.group(1)) == 740.0  # on the right edge: 64 + 676
    assert chart.count('fill="none"') == 1
    assert (
        "Außerhalb der Skala und hohl am Rand gezeichnet (weniger als 1 % des Gesamten): "
        "Klein (60,0 %, 1,40)." in chart
    )
