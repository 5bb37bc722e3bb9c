"""Charts people can read: full labels, an axis, values on both bars, a legend, a text alternative."""

import re

from pckb.core.charts import Bar, bar_chart

LONG = "Công an tỉnh — Phòng An ninh đối ngoại và phòng, chống khủng bố, thành phố Cần Thơ"


def text_of(svg: str) -> str:
    return re.sub(r"<[^>]+>", " ", svg)


def test_long_labels_are_wrapped_whole_not_cut():
    svg = str(
        bar_chart([Bar(LONG, 80.0, 40.0)], title="Điểm", maximum=100, unit="%", legend=("Sau", "Trước"))
    )
    assert svg.count("<tspan") >= 2  # wrapped over more than one line
    words = " ".join(text_of(svg).split())
    for word in LONG.split():
        assert word in words  # no word lost at either end


def test_both_bars_carry_their_values_and_a_legend_names_them():
    svg = str(
        bar_chart([Bar("Sở Y tế", 77.5, 42.0)], title="Điểm", maximum=100, unit="%", legend=("Sau", "Trước"))
    )
    assert 'class="bar-secondary"' in svg and 'class="bar"' in svg
    body = text_of(svg)
    assert "77,5%" in body and "42%" in body
    assert "Trước" in body and "Sau" in body


def test_value_axis_has_ticks_from_zero_to_the_maximum():
    svg = str(bar_chart([Bar("A", 3.5), Bar("B", 7)], title="Điểm trung bình"))
    ticks = re.findall(r'class="tick"[^>]*>([^<]*)<', svg)
    assert ticks == ["0", "2,5", "5", "7,5", "10"]
    assert 'class="axis"' in svg


def test_text_alternative_lists_every_label_with_its_values():
    svg = str(
        bar_chart(
            [Bar("Sở Y tế", 80, 40), Bar("Công an", 90, 50)], title="Điểm", unit="%", legend=("Sau", "Trước")
        )
    )
    desc = re.search(r"<desc[^>]*>(.*)</desc>", svg).group(1)
    assert "Sở Y tế: Trước 40%, Sau 80%" in desc and "Công an: Trước 50%, Sau 90%" in desc
    assert 'role="img"' in svg and "aria-labelledby" in svg


def test_no_bars_no_chart():
    assert str(bar_chart([], title="Trống")) == ""


def test_counts_get_whole_number_ticks():
    svg = str(bar_chart([Bar("Hậu Giang", 0), Bar("Cần Thơ", 3)], title="Số cán bộ"))
    ticks = re.findall(r'class="tick"[^>]*>([^<]*)<', svg)
    assert ticks == ["0", "1", "2", "3", "4"]
