"""The log search ("who has seen this pupil") and the chain check, for the principal and the
data protection officer. Reading the log is itself logged."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied
from elevstod.core.params import int_param
from elevstod.organisation.access import Reason, access_organiser_records

from .selectors import (
    EXPORT_CHUNK,
    MAX_EXPORT_ROWS,
    LogQuery,
    LogRow,
    log_rows,
    log_scope,
    log_search,
)
from .services import access_log_record
from .verification import chains_verify


class DateInput(forms.DateInput):
    input_type = "date"


class SearchDateField(forms.DateField):
    """A date whose error repeats what was typed: a date picker cannot show an impossible date
    such as 2026-13-45, so the user would not otherwise see what was wrong."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Enter a date as YYYY-MM-DD (you wrote “%(value)s”)."),
                code="invalid",
                params={"value": str(value)[:40]},
            ) from None


class LogSearchForm(forms.Form):
    pupil = forms.CharField(
        label=_("Pupil (name or personal identity number)"), required=False, max_length=100
    )
    staff = forms.CharField(
        label=_("Staff member (name or username)"), required=False, max_length=100
    )
    start = SearchDateField(label=_("From"), required=False, widget=DateInput())
    end = SearchDateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    scope = log_scope(request.user)
    if scope is None:
        raise AccessDenied()
    form = LogSearchForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    access_log_record(
        actor=request.user,
        pupil_id=None,
        purpose="audit.log.searched",
        reasons=[scope.reason],
        granted=True,
        path=request.get_full_path(),
    )
    query = LogQuery(**form.cleaned_data) if form.is_bound and valid else LogQuery()
    if valid and request.GET.get("format") == "csv":
        return _csv(log_search(scope=scope, query=replace(query, until=timezone.now())))
    page = None
    if valid:  # a bad date is told at its field; no search runs on the other filters alone
        rows = log_search(scope=scope, query=query)
        page = Paginator(rows, 100).get_page(request.GET.get("sida"))
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": log_rows(page) if page is not None else [],
            "query_string": request.GET.urlencode(),
            "is_dpo": scope.reason == Reason.DATA_PROTECTION_OFFICER,
        },
    )


CSV_HEADER = [
    "time",
    "kind",
    "user",
    "pupil_id",
    "pupil_name",
    "civic_number",
    "what",
    "what_label",
    "why",
    "why_label",
    "object_type",
    "object_id",
    "granted",
]


def _csv_line(r: LogRow) -> list[Any]:
    return [
        r.occurred_at.isoformat(),
        r.kind,
        r.actor_label,
        r.pupil_id or "",
        r.pupil_name,
        r.civic_number,
        r.what,
        r.what_label,
        r.why,
        r.why_label,
        r.object_type,
        r.object_id,
        r.granted,
    ]


def _csv(rows: Any) -> StreamingHttpResponse:
    """The whole search (up to ``MAX_EXPORT_ROWS``), streamed; the pupils' names are looked up
    once per chunk of ``EXPORT_CHUNK`` rows, not per row."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_HEADER)
        for start in range(0, MAX_EXPORT_ROWS, EXPORT_CHUNK):
            chunk = log_rows(rows[start : min(start + EXPORT_CHUNK, MAX_EXPORT_ROWS)])
            for row in chunk:
                yield writer.writerow(_csv_line(row))
            if len(chunk) < EXPORT_CHUNK:
                return

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="elevstod-logg.csv"'
    return response


@login_required
@require_GET
def chain(request: HttpRequest) -> HttpResponse:
    records = access_organiser_records(actor=request.user)
    result = chains_verify()
    access_log_record(
        actor=request.user,
        pupil_id=None,
        purpose="audit.chain.verified",
        reasons=[records.reason],
        granted=True,
        path=request.path,
    )
    return render(request, "audit/chain.html", {"result": result, "reports": result.reports})


@login_required
@require_GET
def register_extract_view(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    from django.http import JsonResponse

    from elevstod.organisation.models import Person

    from .extract import extract_reason, register_extract

    pupil = Person.objects.filter(pk=pupil_pk).first()
    reason = extract_reason(request.user, pupil) if pupil is not None else None
    access_log_record(
        actor=request.user,
        pupil_id=pupil.pk if pupil else None,
        purpose="audit.register_extract",
        reasons=[reason] if reason else [],
        granted=reason is not None,
        path=request.get_full_path(),
    )
    if pupil is None or reason is None:
        raise AccessDenied()
    data = register_extract(pupil)
    if request.GET.get("format") == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="registerutdrag-{pupil.pk}.json"'
        return response
    return render(request, "audit/extract.html", {"pupil": pupil, "data": data})


@login_required
def disposal(request: SignedInRequest) -> HttpResponse:
    """The data protection officer's page: the rule, a dry run, then the confirmation."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from elevstod.core.errors import DomainError
    from elevstod.organisation.models import Organiser

    from . import disposal as service
    from .models import DisposalRun, RetentionRule

    records = access_organiser_records(actor=request.user)
    organiser = Organiser.objects.filter(pk__in=records.organiser_ids).order_by("pk").first()
    if organiser is None:
        raise AccessDenied()
    kind = RetentionRule.Kind.EXTRA_ADAPTATIONS
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rule":
                years = int_param(request.POST, "keep_years", default=-1, minimum=-1, maximum=100)
                service.retention_rule_set(
                    actor=request.user,
                    organiser=organiser,
                    kind=kind,
                    years=years if years >= 0 else None,
                )
            elif action == "dry_run":
                service.disposal_dry_run(actor=request.user, organiser=organiser, kind=kind)
            elif action == "confirm":
                service.disposal_confirm(
                    actor=request.user, run_id=int_param(request.POST, "run", default=0)
                )
        except (AccessDenied, DisposalRun.DoesNotExist):
            raise AccessDenied() from None  # another organiser's run, or none: the same 404
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("audit:disposal")
    return render(
        request,
        "audit/disposal.html",
        {
            "organiser": organiser,
            "keep_years": service.keep_years(organiser, kind),
            "runs": list(DisposalRun.objects.filter(organiser=organiser)[:10]),
        },
    )
