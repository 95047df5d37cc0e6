"""The token endpoint of the OAuth2 client-credentials grant (RFC 6749, section 4.4): a system
integration sends its client id and secret (HTTP Basic, or ``client_id`` and ``client_secret``
in the form) with ``grant_type=client_credentials`` and gets a bearer token for an hour."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..integrations import TOKEN_LIFETIME, GrantError, integration_token_issue


def _credentials(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            pair = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as error:
            raise GrantError("invalid_client", status=401) from error
        client_id, _, secret = pair.partition(":")
        return unquote(client_id), unquote(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def _answer(body: dict[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="api"'
    return response


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    try:
        if request.POST.get("grant_type") != "client_credentials":
            raise GrantError("unsupported_grant_type")
        client_id, secret = _credentials(request)
        if not client_id or not secret:
            raise GrantError("invalid_client", status=401)
        row, issued = integration_token_issue(
            client_id=client_id[:100], secret=secret[:200], scope=request.POST.get("scope")
        )
    except GrantError as refused:
        return _answer({"error": refused.error}, status=refused.status)
    return _answer(
        {
            "access_token": issued,
            "token_type": "Bearer",
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "scope": " ".join(row.scopes),
        }
    )
