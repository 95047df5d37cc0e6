from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from elevstod.accounts.http import SignedInRequest
from elevstod.core.params import id_list_param, optional_id
from elevstod.core.timeutil import today

from .contacts import mobile_of
from .delivery import retry_delivery
from .messages import CATEGORIES, MESSAGES, render_message
from .reminders import overdue_for
from .selectors import (
    delivery_failed_list,
    may_see_deliveries,
    notification_list,
    preference_get,
)
from .services import notification_mark_read, preference_update


@login_required
@require_GET
def inbox(request: SignedInRequest) -> HttpResponse:
    page = Paginator(notification_list(actor=request.user), 30).get_page(request.GET.get("sida"))
    for n in page:
        n.text = render_message(n.code, n.params)  # type: ignore[attr-defined]
    overdue = overdue_for(actor=request.user, day=today())
    for item in overdue:
        item.text = render_message(  # type: ignore[attr-defined]
            item.kind, {"pupil": item.pupil.full_name, "date": item.date.isoformat()}
        )
    return render(request, "notifications/inbox.html", {"page": page, "overdue": overdue})


@login_required
@require_POST
def mark_read(request: SignedInRequest) -> HttpResponse:
    ids = id_list_param(request.POST, "id")
    notification_mark_read(actor=request.user, notification_ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:inbox")


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Send my notifications by e-mail"), required=False)
    sms = forms.BooleanField(label=_("Send my notifications by text message (SMS)"), required=False)
    digest = forms.BooleanField(
        label=_("One summary a day instead of one message per notification"), required=False
    )
    muted = forms.MultipleChoiceField(
        label=_("Not by e-mail or SMS (still in the inbox)"),
        choices=[(k, v) for k, v in CATEGORIES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: SignedInRequest) -> HttpResponse:
    pref = preference_get(actor=request.user)
    has_mobile = bool(mobile_of(request.user))
    initial = {"email": pref.email, "sms": pref.sms, "digest": pref.digest, "muted": pref.muted}
    form = PreferenceForm(request.POST or None, initial=initial)
    if not has_mobile:
        form.fields["sms"].disabled = True
        form.fields["sms"].help_text = _("Needs a mobile number registered for you.")
    if request.method == "POST" and form.is_valid():
        preference_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def failed_deliveries(request: HttpRequest) -> HttpResponse:
    if not may_see_deliveries(request.user):
        raise Http404
    if request.method == "POST":
        pk = optional_id(request.POST, "id")
        if pk is not None and retry_delivery(pk=pk):
            messages.success(request, _("The message will be sent again."))
        return redirect("notifications:failed_deliveries")
    page = Paginator(delivery_failed_list(), 50).get_page(request.GET.get("sida"))
    return render(
        request, "notifications/failed_deliveries.html", {"page": page, "codes": MESSAGES}
    )
