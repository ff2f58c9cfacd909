"""The pages a reader checks the record by: about, methodology, corrections, licence.

The corrections form is open to anyone, so it guards itself without a third-party
service: CSRF (the site's middleware), a honeypot field people never see, a signed
timestamp token (django.core.signing) that refuses a post sent within seconds of the
page being made or long after, and a per-address limit counted in the default cache.
Whatever is refused keeps what the reader wrote, with a message saying why.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from deals.models import CorrectionReport, Deal
from dealtracker.signin import client_ip

TOKEN_SALT = "deals.corrections.form"
# Sent sooner than this after the form was made: a script, not a reader.
MIN_SECONDS = 3
# A form older than this is refused (and a fresh one given): a token cannot be kept.
MAX_SECONDS = 2 * 60 * 60
# Posts per client address per window, counted in the default cache.
REPORTS_PER_WINDOW = 5
WINDOW_SECONDS = 60 * 60
MESSAGE_MAX = 5000
DATA_LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


class AboutView(TemplateView):
    template_name = "pages/about.html"


class MethodologyView(TemplateView):
    template_name = "pages/methodology.html"


class LicenceView(TemplateView):
    template_name = "pages/licence.html"
    extra_context = {"licence": DATA_LICENCE, "licence_url": DATA_LICENCE_URL}


def make_token(at=None):
    """The form's signed timestamp: when it was made, which a client cannot change."""
    return signing.dumps({"at": time.time() if at is None else at}, salt=TOKEN_SALT)


def token_problem(token, now=None):
    """Why the token is refused, in a reader's words; None when it is good."""
    now = time.time() if now is None else now
    try:
        made = float(signing.loads(token or "", salt=TOKEN_SALT)["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return gettext("This form could not be checked. Please send it again.")
    if now - made < MIN_SECONDS:
        return gettext(
            "That was sent within seconds of opening the form. Please check it and send it again."
        )
    if now - made > MAX_SECONDS:
        return gettext("This form was opened too long ago. Please send it again.")
    return None


def address_of(request):
    return client_ip(request) if settings.SECURE_PROXY_SSL_HEADER else request.META["REMOTE_ADDR"]


def within_rate(request):
    """Count this post against its address; False once the address is over its limit."""
    key = f"corrections:rate:{address_of(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= REPORTS_PER_WINDOW


def deal_named_by(page):
    """The published deal whose page `page` is (a path or this site's full address)."""
    path = page.split("://", 1)[-1]
    if "://" in page:
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
    try:
        match = resolve(path.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        return None
    if match.view_name != "deals:detail":
        return None
    return Deal.objects.published().filter(slug=match.kwargs["slug"]).first()


class CorrectionForm(forms.Form):
    page = forms.CharField(
        label=gettext_lazy("Which page or deal (its address)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "For example https://…/deals/boeing-300-aircraft/. "
            "Leave it empty for the record as a whole."
        ),
    )
    message = forms.CharField(
        label=gettext_lazy("What is wrong, and what is right"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=10,
        max_length=MESSAGE_MAX,
        help_text=gettext_lazy(
            "Please name a source we can check: a link, a filing, a press release."
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail (optional)"),
        required=False,
        help_text=gettext_lazy("Only if you would like a reply. It is never shown publicly."),
    )
    # The honeypot: hidden from people (and from screen readers); scripts fill it in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                gettext("This report could not be accepted. Please send it again."),
                code="honeypot",
            )
        problem = token_problem(cleaned.get("token"))
        if problem:
            raise forms.ValidationError(problem, code="token")
        return cleaned


KEPT_FIELDS = ("page", "message", "email")


@method_decorator(never_cache, name="dispatch")
class CorrectionsView(View):
    """How to report an error, and the form that files a report for the staff."""

    template_name = "pages/corrections.html"

    def get(self, request):
        form = CorrectionForm(initial={"page": request.GET.get("page", "")[:500]})
        return self.show(request, form, sent="sent" in request.GET)

    def post(self, request):
        if not within_rate(request):
            # Unbound, holding what was written: the message says why, nothing is lost.
            kept = CorrectionForm(initial={k: request.POST.get(k, "") for k in KEPT_FIELDS})
            return self.show(request, kept, status=429, limited=True)
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            for name in form.errors:
                if name in form.fields:
                    form.fields[name].widget.attrs["aria-invalid"] = "true"
            return self.show(request, form, status=400)
        page = form.cleaned_data["page"].strip()
        CorrectionReport.objects.create(
            page_url=page,
            deal=deal_named_by(page) if page else None,
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
        )
        return redirect(f"{reverse('deals:corrections')}?sent=1")

    def show(self, request, form, *, status=200, sent=False, limited=False):
        # Every answer carries a fresh token: a refused post can be sent again as it is.
        if form.is_bound:
            form.data = form.data.copy()
            form.data["token"] = make_token()
        else:
            form.initial["token"] = make_token()
        context = {
            "form": form,
            "sent": sent,
            "limited": limited,
            "window_minutes": WINDOW_SECONDS // 60,
            "reports_per_window": REPORTS_PER_WINDOW,
        }
        return render(request, self.template_name, context, status=status)
