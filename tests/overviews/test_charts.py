"""Charts: inline SVG drawn on the server, with a title, a description and a label on each
bar and point, the data table beside each, and nothing the strict CSP would block."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest

from tests.builders import page

from .conftest import adapt, pupils_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_page(client, cast, second_unit):
    adapt(cast.principal, pupils_at(cast.unit_a1, 7))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 2))
    client.force_login(cast.analyst)
    return page(client, reverse("overviews:organiser_statistics", args=[cast.organiser_a.pk]))


def test_each_chart_is_an_image_with_a_title_and_a_description(organiser_page):
    charts = re.findall(r"<svg[^>]*>.*?</svg>", organiser_page, re.S)
    assert len(charts) >= 8
    for svg in charts:
        assert 'role="img"' in svg
        assert "<title id=" in svg
        assert "<desc id=" in svg


def test_each_bar_is_labelled_with_its_unit_and_figure(organiser_page):
    adaptations = re.search(
        r'<svg[^>]*aria-labelledby="c-anpassningar-title.*?</svg>', organiser_page, re.S
    )
    assert adaptations is not None
    svg = adaptations.group(0)
    assert "<title>Ekskolan: 7</title>" in svg
    assert ">Aspskolan</text>" in svg
    assert ">&lt; 5</text>" in svg  # a hidden figure has its label and no bar


def test_each_chart_has_its_data_table_beside_it(organiser_page):
    sections = re.findall(r"<section aria-labelledby=\"t-.*?</section>", organiser_page, re.S)
    with_chart = [s for s in sections if "<svg" in s]
    assert with_chart
    assert all("<table" in s for s in with_chart)


def test_the_pages_have_no_inline_style_or_script(organiser_page):
    assert "style=" not in organiser_page
    assert "<style" not in organiser_page
    assert re.search(r"<script(?![^>]*\bsrc=)", organiser_page) is None


def test_the_trend_is_a_line_per_figure_over_the_terms(organiser_page):
    trend = re.search(r'<svg[^>]*aria-labelledby="c-trender-title.*?</svg>', organiser_page, re.S)
    assert trend is not None
    assert trend.group(0).count("<polyline") == 3
