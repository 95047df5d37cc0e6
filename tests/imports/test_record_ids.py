"""SS 12000 ids are UUIDs: a supplier may write one in capitals, in braces or without hyphens,
and it is still the same record; anything else is refused with its reason in Swedish."""

from __future__ import annotations

from django.utils import translation

import pytest

from elevstod.imports.parse import RecordError, enrolment_values, record_id, ref_id

ID = "6f1c1f43-6a4e-4d0e-9d7a-2f0e5d1c3b00"


@pytest.mark.parametrize(
    "written",
    [ID, ID.upper(), "{" + ID + "}", ID.replace("-", ""), "urn:uuid:" + ID],
)
def test_an_id_in_any_form_of_a_uuid_is_read_as_the_same_id(written):
    assert record_id({"id": written}) == ID
    assert ref_id({"person": {"id": written}}, "person") == ID


def _reason(call):
    with pytest.raises(RecordError) as refused, translation.override("sv"):
        call()
    with translation.override("sv"):
        return str(refused.value.reason)


@pytest.mark.parametrize("written", [None, 7, "", "not-a-uuid", ID + "0", ID + "\n"])
def test_a_record_without_a_valid_id_is_refused(written):
    assert _reason(lambda: record_id({"id": written})) == "Posten saknar giltigt id."


def test_a_reference_without_a_valid_id_is_refused_naming_the_reference():
    enrolment = {"enroledAt": {"id": "x"}, "schoolYear": 4}

    reason = _reason(lambda: enrolment_values(enrolment))

    assert reason == "Referensen ”enroledAt” har inget giltigt id."
    assert _reason(lambda: ref_id({}, "person")) == "Referensen ”person” saknas."
