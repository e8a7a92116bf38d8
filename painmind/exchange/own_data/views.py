"""The person's own data on the web: download it all (a streamed zip), or delete the account."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.own_data.actions import do_delete_own_account
from painmind.exchange.own_data.archive import own_data_filename, own_data_zip
from painmind.exchange.own_data.erasure import counts
from painmind.lib.errors import ActionError
from painmind.lib.forms import add_action_errors


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password."},
    )


@login_required
def own_data(request: AuthedRequest) -> HttpResponseBase:
    """GET: what the download holds; POST: the zip, streamed (the person's own reads: not audited)."""
    if request.method == "POST":
        actor = Actor.from_request(request, "web")
        response = StreamingHttpResponse(own_data_zip(actor, request.user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{own_data_filename(request.user)}"'
        return response
    return render(request, "exchange/own_data.html")


@login_required
def delete_account(request: AuthedRequest) -> HttpResponse:
    """The summary of what goes, and the password that confirms it; then signed out, gone."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_delete_own_account(Actor.from_request(request, "web"), form.cleaned_data["password"])
        except ActionError as exc:
            add_action_errors(form, exc.errors)
        else:
            logout(request)
            messages.success(request, "Your account and your data are deleted.")
            return redirect("login")
    ctx = {"form": form, "counts": counts(request.user)}
    return render(request, "exchange/delete_account.html", ctx, status=400 if form.errors else 200)
