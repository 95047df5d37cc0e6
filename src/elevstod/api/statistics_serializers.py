"""The statistics of the overviews as the API answers them: the same tables as the pages, each
cell with its number (``null`` when the small-number rule hides it) and the text the page shows
("< 5", "≥ 37"). Counts only, never a pupil."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "number", "nullable": True})
class NumberField(serializers.Field):  # type: ignore[type-arg]
    """A count or a figure in days as it is (an integer stays an integer)."""

    def to_representation(self, value: Any) -> Any:
        return value


class CellSerializer(serializers.Serializer[Any]):
    value = NumberField(help_text="The figure; null when it is not shown (fewer than 5).")
    text = serializers.CharField(help_text='As the page shows it: "12", "< 5", "≥ 37", "–".')
    lower_bound = serializers.BooleanField(
        help_text="A total over hidden cells: the value is what the shown cells add up to."
    )


class ColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    header = serializers.CharField()
    days = serializers.BooleanField(help_text="A duration in days (a median or a maximum).")


class RowSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label", help_text="The unit, the subject or the figure.")
    school_unit_code = serializers.CharField(source="code", allow_blank=True)
    cells = CellSerializer(many=True)


class TableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    row_header = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    total = RowSerializer(allow_null=True)


class PeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    school_years = serializers.ListField(child=serializers.IntegerField(), source="years")


class StatisticsUnitSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    school_unit_code = serializers.CharField(allow_blank=True)


class StatisticsSerializer(serializers.Serializer[Any]):
    period = PeriodSerializer()
    small_number_rule = serializers.BooleanField(
        source="protect", help_text="True: counts of 1 to 4 are hidden, totals cannot reveal them."
    )
    units = StatisticsUnitSerializer(many=True)
    tables = TableSerializer(many=True)
