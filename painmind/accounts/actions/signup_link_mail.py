"""A sign-up link sent by e-mail (a clinician inviting a patient to make an account): its
wording, and how many such e-mails one person may send.

Project rules (docs/accounts.md, "Sign-up links"): the same limits as a patient's invitation
e-mails (`invites.INVITE_MAILS_PER_HOUR` and `INVITE_MAILS_PER_DAY` per sender), and the same
wording rule: the sender's chosen name is quoted as their claim, cleaned by `invites.quoted_name`,
never written as if the site said it. Nothing clinical, not even why the person is seen.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.actions.invites import INVITE_MAILS_PER_DAY, INVITE_MAILS_PER_HOUR, quoted_name
from painmind.accounts.audit import Actor
from painmind.accounts.models import SignupLink, User
from painmind.accounts.signin.mail import queue_account_mail
from painmind.lib import mail
from painmind.lib.errors import ActionError

SIGNUP_LINK_SUBJECT = "An invitation to make a PainMind account"
_LATER = "try again later, or copy the link and send it yourself"


def check_signup_mail_limits(actor: Actor) -> None:
    """Refuse a further sign-up e-mail past the sender's hourly or daily limit, so no account can
    make the server e-mail strangers in bulk. Locks the sender's row, so two at once cannot both
    slip under a limit (on PostgreSQL; SQLite writes one at a time anyway). Call it inside the
    transaction that makes the link. The operator at the command line has no limit."""
    sender = actor.user
    if sender is None:
        return
    User.objects.select_for_update().filter(pk=sender.pk).first()
    now = timezone.now()
    sent = SignupLink.objects.filter(created_by=sender, emailed_at__gt=now - timedelta(days=1))
    if sent.filter(emailed_at__gt=now - timedelta(hours=1)).count() >= INVITE_MAILS_PER_HOUR:
        raise ActionError(
            {"email": [f"you can send at most {INVITE_MAILS_PER_HOUR} sign-up links by e-mail in an hour; {_LATER}"]}
        )
    if sent.count() >= INVITE_MAILS_PER_DAY:
        raise ActionError(
            {"email": [f"you can send at most {INVITE_MAILS_PER_DAY} sign-up links by e-mail in a day; {_LATER}"]}
        )


def signup_link_body(link: SignupLink, token: str, sender: User | None) -> str:
    """The e-mail: who invites (as their claim), the link, until when, and what to do if you
    already have an account or did not expect it."""
    if sender is None:
        who = "The administrator of this PainMind site"
    elif sender.display_name and quoted_name(sender.display_name):
        who = f"A PainMind user who calls themselves “{quoted_name(sender.display_name)}”"
    else:
        who = f"A PainMind user with the e-mail address “{quoted_name(sender.email)}”"
    return (
        f"{who} has invited you to make a PainMind account.\n\n"
        f"Make your account: {mail.absolute_url('accounts:signup_link', token)}\n\n"
        f"The link works once, until {link.expires_at.day} {link.expires_at:%b %Y}. Nobody sees what you write in "
        "PainMind unless you choose to share it.\n\n"
        "If you already have a PainMind account, sign in instead. If you did not expect this "
        "message, ignore it.\n"
    )


def queue_signup_link_mail(link: SignupLink, token: str, actor: Actor) -> None:
    """Queue the e-mail for after the commit (`signin.mail`: `painmind worker` sends it). The
    task row holds the link until it is sent, as allauth's reset links do."""
    queue_account_mail(link.email, SIGNUP_LINK_SUBJECT, signup_link_body(link, token, actor.user))
