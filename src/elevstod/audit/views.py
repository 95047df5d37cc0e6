"""The log search ("who has seen this pupil") and the chain check, for the principal and the
data protection officer. Reading the log is itself logged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.spreadsheet import BOM, SheetWriter
from elevstod.organisation.access import Reason
from elevstod.organisation.models import Organiser
from elevstod.organisation.records_access import access_organiser_records

from . import disposal as disposal_service
from .models import DisposalRun
from .registry import disposable_kinds, validate_disposable_kind
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

    writer = SheetWriter(Echo())

    def lines() -> Iterator[str]:
        yield BOM + writer.row(CSV_HEADER)
        for start in range(0, MAX_EXPORT_ROWS, EXPORT_CHUNK):
            chunk = log_rows(rows[start : min(start + EXPORT_CHUNK, MAX_EXPORT_ROWS)])
            for row in chunk:
                yield writer.row(_csv_line(row))
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
    return render(request, "audit/extract.html", {"pupil": pupil, "sections": _shown(data)})


def _shown(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The extract as the page lists it: each section's rows as (field, value) pairs, so that a
    field named like a dict method (``items``, ``keys``) is shown and not called."""
    return [
        (
            name,
            list(rows.items()) if isinstance(rows, dict) else [list(row.items()) for row in rows],
        )
        for name, rows in data.items()
    ]


# --- disposal: the page, and its steps, one POST view each ------------------------------------


class DisposableKindForm(forms.Form):
    """Names one of the declared kinds of disposable records (``registry.DISPOSABLE_KINDS``)."""

    kind = forms.CharField(
        widget=forms.HiddenInput, max_length=30, validators=[validate_disposable_kind]
    )


class RetentionRuleForm(DisposableKindForm):
    keep_years = forms.IntegerField(
        label=_("Years kept after the pupil left (empty: kept for good)"),
        required=False,
        min_value=0,
        max_value=100,
    )


class DisposalConfirmForm(forms.Form):
    run = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


def _records_organiser(request: SignedInRequest) -> Organiser:
    """The organiser whose records the data protection officer keeps."""
    records = access_organiser_records(actor=request.user)
    organiser = Organiser.objects.filter(pk__in=records.organiser_ids).order_by("pk").first()
    if organiser is None:
        raise AccessDenied()
    return organiser


@login_required
@require_GET
def disposal(request: SignedInRequest) -> HttpResponse:
    """The data protection officer's page: the rule, a dry run, then the confirmation."""
    return _disposal_page(request, _records_organiser(request))


def _disposal_page(
    request: SignedInRequest, organiser: Organiser, rule: RetentionRuleForm | None = None
) -> HttpResponse:
    """One section per declared kind of disposable records: its rule and its dry run; the
    refused rule form keeps what was typed."""
    kinds = []
    for kind in disposable_kinds():
        years = disposal_service.keep_years(organiser, kind.kind)
        form = RetentionRuleForm(
            initial={"kind": kind.kind, "keep_years": years}, auto_id=f"id_{kind.kind}_%s"
        )
        if rule is not None and rule.data.get("kind") == kind.kind:
            form = rule
        kinds.append({"kind": kind, "rule": form})
    return render(
        request,
        "audit/disposal.html",
        {
            "organiser": organiser,
            "kinds": kinds,
            "runs": list(DisposalRun.objects.filter(organiser=organiser)[:10]),
        },
    )


def _posted_kind(request: SignedInRequest) -> str:
    """The kind a step of the disposal page posts: a declared one."""
    form = DisposableKindForm(request.POST)
    if not form.is_valid():
        raise AccessDenied()  # no such kind: the same 404 as a missing page
    return str(form.cleaned_data["kind"])


@login_required
@require_POST
def disposal_rule(request: SignedInRequest) -> HttpResponse:
    organiser = _records_organiser(request)
    kind = _posted_kind(request)
    form = RetentionRuleForm(request.POST, auto_id=f"id_{kind}_%s")
    if not form.is_valid():
        return _disposal_page(request, organiser, form)
    years = form.cleaned_data["keep_years"]
    disposal_service.retention_rule_set(
        actor=request.user, organiser=organiser, kind=kind, years=years
    )
    return redirect("audit:disposal")


@login_required
@require_POST
def disposal_dry_run(request: SignedInRequest) -> HttpResponse:
    organiser = _records_organiser(request)
    kind = _posted_kind(request)
    try:
        disposal_service.disposal_dry_run(actor=request.user, organiser=organiser, kind=kind)
    except AccessDenied:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("audit:disposal")


@login_required
@require_POST
def disposal_confirm(request: SignedInRequest) -> HttpResponse:
    _records_organiser(request)
    form = DisposalConfirmForm(request.POST)
    if not form.is_valid():
        raise AccessDenied()  # no such run: the same 404 as another organiser's
    try:
        disposal_service.disposal_confirm(actor=request.user, run_id=form.cleaned_data["run"])
    except (AccessDenied, DisposalRun.DoesNotExist):
        raise AccessDenied() from None  # another organiser's run, or none: the same 404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("audit:disposal")
