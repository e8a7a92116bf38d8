"""The person's own API tokens: see each one's name, last use and expiry; make one; end one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painmind.accounts.actions import active_tokens_for_user, do_create_api_token, do_revoke_api_token
from painmind.accounts.http import AuthedRequest


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, error_messages={"required": "Give the token a name you will recognise."})


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    """List live tokens; a POST makes one, whose secret this response shows once."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, secret = do_create_api_token(request.user, name=form.cleaned_data["name"])
            new = {"token": token, "secret": secret}
            form = TokenForm()
        else:
            status = 400
    ctx = {
        "form": form,
        "tokens": active_tokens_for_user(request.user),
        "new": new,
        "token_days": settings.TOKEN_DAYS,
    }
    return render(request, "accounts/tokens.html", ctx, status=status)


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = do_revoke_api_token(request.user, token_id)
    messages.success(request, f'The token "{token.name or token.prefix}" no longer works.')
    return redirect("accounts:tokens")
