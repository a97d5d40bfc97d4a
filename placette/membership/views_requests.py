"""Staff pages of the subscription journey: the request queue, payments (by hand or from a
bank statement), approval and refusal one by one or in batch, settings, IR-PME statements."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from placette.lib.confirm import Confirmation, MailPreview, confirm
from placette.lib.jobs import job_start
from placette.lib.permissions import staff_admin_required, staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.membership import batches, mails, tax
from placette.membership.forms_public import (
    BankStatementForm,
    PaperBulletinForm,
    PaymentRecordForm,
    RefuseForm,
    SettingsForm,
    TaxBatchForm,
    TaxYearForm,
)
from placette.membership.lists import REQUESTS
from placette.membership.models import Category, Statutes, TaxYear
from placette.membership.models_requests import (
    BankStatement,
    DocumentKind,
    RequestStatus,
    SubscriptionDocument,
    SubscriptionRequest,
    SubscriptionSettings,
)
from placette.membership.services import statutes_in_force
from placette.membership.subscriptions import (
    _min_paid,
    bank_statement_confirm,
    bank_statement_preview,
    bank_statement_upload,
    form_token_new,
    request_payment_record,
    subscription_request_approve,
    subscription_request_create,
    subscription_request_refuse,
    subscription_settings_update,
)


@staff_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    counts = dict(
        SubscriptionRequest.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    context = {
        "counts": [(value, label, counts.get(value, 0)) for value, label in RequestStatus.choices]
    }
    return REQUESTS.render(request, "membership/requests/request_list.html", context)


@staff_required
@require_POST
def request_batch(request: HttpRequest) -> HttpResponse:
    """The former batch form's address: the list's bulk actions do the same (lists.py)."""
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    chosen = batches.requests_chosen(ids)
    action = request.POST.get("action")
    if not chosen:
        messages.error(request, _("Cochez au moins une demande."))
        return redirect("membership_public:request_list")
    if action not in ("approve", "refuse"):
        messages.error(request, _("Action inconnue."))
        return redirect("membership_public:request_list")
    reason = request.POST.get("reason", "")
    if action == "refuse" and not reason.strip():
        messages.error(request, _("Indiquez le motif du refus : il est envoyé au souscripteur."))
        return redirect("membership_public:request_list")
    n, approve = len(chosen), action == "approve"
    response = confirm(
        request,
        Confirmation(
            title=_("Approuver des demandes en lot")
            if approve
            else _("Refuser des demandes en lot"),
            what=(
                _(
                    "Chaque souscription sera inscrite au registre des mouvements de titres, son "
                    "certificat produit et envoyé par e-mail au souscripteur. Une demande que les "
                    "règles refusent (paiement insuffisant…) reste en attente et vous est signalée."
                )
                if approve
                else _(
                    "Chaque demande sera refusée et ce motif envoyé par e-mail au souscripteur : "
                    "« %(reason)s »."
                )
                % {"reason": reason.strip()}
            ),
            count=n,
            count_label=ngettext("demande", "demandes", n),
            details=[f"{r.reference} — {r.contact}" for r in chosen[:20]]
            + ([_("… et %(n)s autres") % {"n": n - 20}] if n > 20 else []),
            button=(
                ngettext("Approuver %(n)s demande", "Approuver %(n)s demandes", n)
                if approve
                else ngettext("Refuser %(n)s demande", "Refuser %(n)s demandes", n)
            )
            % {"n": n},
            cancel_url=reverse("membership_public:request_list"),
            danger=not approve,
        ),
    )
    if response is not None:
        return response
    job = batches.requests_decide_start(
        actor=request.user, chosen=chosen, approve=approve, reason=reason
    )
    return redirect(job)


def _detail_context(req: SubscriptionRequest, **forms) -> dict:
    statutes = statutes_in_force()
    return {
        "req": req,
        "payments": req.payments.select_related("recorded_by", "movement"),
        "documents": req.documents.select_related("document"),
        "received": req.received(),
        "min_paid": _min_paid(req, statutes),
        "payment_form": forms.get("payment_form")
        or PaymentRecordForm(initial={"method": req.payment_method, "amount": req.amount}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
    }


@staff_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(
        SubscriptionRequest.objects.select_related(
            "contact", "category", "representative", "movement"
        ),
        pk=pk,
    )
    return render(request, "membership/requests/request_detail.html", _detail_context(req))


@staff_required
@require_POST
def request_pay(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(SubscriptionRequest, pk=pk)
    form = PaymentRecordForm(request.POST)
    if form.is_valid():
        try:
            request_payment_record(actor=request.user, request=req, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Le paiement est enregistré."))
            return redirect("membership_public:request_detail", pk=pk)
    context = _detail_context(req, payment_form=form)
    return render(request, "membership/requests/request_detail.html", context, status=400)


@staff_required
@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(SubscriptionRequest, pk=pk)
    try:
        done = subscription_request_approve(actor=request.user, request=req)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request,
            "Demande approuvée : la souscription est inscrite au registre et le "
            "certificat est envoyé.",
        )
        for warning in getattr(done, "warnings", []):
            messages.warning(request, warning)
    return redirect("membership_public:request_detail", pk=pk)


@staff_required
@require_POST
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(SubscriptionRequest, pk=pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        response = confirm(
            request,
            Confirmation(
                title=_("Refuser la demande %(ref)s") % {"ref": req.reference},
                what=_(
                    "La demande de %(who)s sera refusée et ce motif lui sera envoyé par e-mail : "
                    "« %(reason)s »."
                )
                % {"who": req.contact, "reason": form.cleaned_data["reason"]},
                count=1,
                count_label=_("souscripteur prévenu"),
                button=_("Refuser la demande"),
                cancel_url=reverse("membership_public:request_detail", args=[pk]),
                danger=True,
            ),
        )
        if response is not None:
            return response
        try:
            subscription_request_refuse(
                actor=request.user, request=req, reason=form.cleaned_data["reason"]
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Demande refusée : le motif est envoyé au souscripteur."))
        return redirect("membership_public:request_detail", pk=pk)
    context = _detail_context(req, refuse_form=form)
    return render(request, "membership/requests/request_detail.html", context, status=400)


@staff_required
def bank_import(request: HttpRequest) -> HttpResponse:
    form = BankStatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = bank_statement_upload(
                actor=request.user, filename=upload.name, raw=upload.read()
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            return redirect("membership_public:bank_preview", pk=statement.pk)
    return render(request, "membership/requests/bank_import.html", {"form": form})


@staff_required
def bank_preview(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(BankStatement, pk=pk)
    if request.method == "POST":
        try:
            payments = bank_statement_confirm(actor=request.user, statement=statement)
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(
                request, (_("%(count)s paiement(s) enregistré(s).") % {"count": len(payments)})
            )
            return redirect("membership_public:request_list")
    preview = bank_statement_preview(statement)
    return render(
        request,
        "membership/requests/bank_preview.html",
        {"statement": statement, "preview": preview},
    )


@staff_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = SubscriptionSettings.current()
    initial = {f: getattr(current, f) for f in SettingsForm.Meta.fields}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscription_settings_update(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Les paramètres de souscription sont enregistrés."))
        return redirect("membership_public:request_list")
    return render(request, "membership/requests/settings.html", {"form": form})


def _tax_preview(sample: SubscriptionDocument | None) -> MailPreview | None:
    if sample is None:
        return None
    subject, text, html = mails.tax_statement_preview(document=sample)
    return MailPreview(
        recipient=f"{sample.contact} <{sample.contact.mail_to}>",
        subject=subject,
        text=text,
        html=html,
    )


@staff_required
def tax_batch(request: HttpRequest) -> HttpResponse:
    form = TaxBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, send = form.cleaned_data["year"], form.cleaned_data["send"]
        try:
            tax.tax_statements_check(year)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            back = f"{request.path}?year={year}"
            if send:
                n = tax.tax_statements_to_send(year)
                sample = mails.tax_statement_sample(year)
                response = confirm(
                    request,
                    Confirmation(
                        title=_("Envoyer les états individuels IR-PME %(year)s") % {"year": year},
                        what=_(
                            "Les états de %(year)s seront produits (ou mis à jour) puis envoyés "
                            "par e-mail, avec leur PDF, aux investisseurs qui ne l’ont pas encore "
                            "reçu et à ceux dont l’état a changé depuis son envoi."
                        )
                        % {"year": year},
                        count=n,
                        count_label=ngettext(
                            "investisseur recevra son état par e-mail",
                            "investisseurs recevront leur état par e-mail",
                            n,
                        ),
                        button=ngettext(
                            "Produire et envoyer %(n)s état", "Produire et envoyer %(n)s états", n
                        )
                        % {"n": n},
                        cancel_url=back,
                        preview=lambda: _tax_preview(sample),
                        test_send=(
                            (lambda to: mails.tax_statement_test_send(document=sample, to=to))
                            if sample is not None
                            else None
                        ),
                    ),
                )
                if response is not None:
                    return response
            job = job_start(
                kind="membership.tax_statements",
                label=(
                    _("États individuels IR-PME %(year)s, produits et envoyés")
                    if send
                    else _("États individuels IR-PME %(year)s")
                )
                % {"year": year},
                actor=request.user,
                func_path="placette.membership.tax.tax_statements_job",
                kwargs={"year": year, "send": send},
                return_url=back,
            )
            return redirect(job)
    year = request.GET.get("year", "")
    documents = SubscriptionDocument.objects.none()
    if year.isdigit():
        documents = (
            SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT, year=int(year))
            .select_related("contact", "document", "movement")
            .order_by("contact__name_key", "movement__number")
        )
    return render(
        request,
        "membership/requests/tax.html",
        {"form": form, "year": year, "documents": documents},
    )


def statutes_categories(statutes: Statutes):
    return Category.objects.filter(rules__statutes=statutes).order_by("order", "name")


@staff_required
def request_paper(request: HttpRequest) -> HttpResponse:
    """Enter a signed paper bulletin as a request, with its scan (any category)."""
    statutes = Statutes.objects.in_force()
    if statutes is None:
        messages.error(request, _("Renseignez d’abord les paramètres statutaires."))
        return render(request, "membership/requests/paper.html", {"form": None})
    form = PaperBulletinForm(
        request.POST or None,
        request.FILES or None,
        categories=statutes_categories(statutes),
        share_value=statutes.share_value,
        initial={"form_token": form_token_new(), "subscriber_kind": "person", "shares": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, _created = subscription_request_create(
                actor=request.user,
                form_token=data["form_token"],
                shares=data["shares"],
                payment_method=data["payment_method"],
                category=data["category"],
                person=form.person_data(),
                organisation=form.organisation_data(),
                representative_role=data.get("representative_role", ""),
                iban=data.get("iban", ""),
                bic=data.get("bic", ""),
                account_holder=data.get("account_holder", ""),
                tax_resident_fr=data.get("tax_resident_fr", False),
                consents_given=form.consents_given(),
                e_convocation=data.get("e_convocation", False),
                paper={"signed_on": data["signed_on"], "scan": data["scan"]},
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request,
                _("Bulletin papier enregistré : demande %(ref)s.") % {"ref": created.reference},
            )
            return redirect("membership_public:request_detail", pk=created.pk)
    return render(
        request,
        "membership/requests/paper.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_admin_required
def tax_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The IR-PME settings of a year: rate, ceilings, eligibility, ESUS, horizons, signatory."""
    instance = TaxYear.objects.filter(year=year).first() or TaxYear(year=year)
    form = TaxYearForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        tax.tax_year_save(actor=request.user, tax_year=form.save(commit=False))
        messages.success(request, _("Paramètres IR-PME %(year)s enregistrés.") % {"year": year})
        return redirect(f"{reverse('membership_public:tax')}?year={year}")
    return render(request, "membership/requests/tax_year.html", {"form": form, "year": year})
