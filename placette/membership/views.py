"""Staff pages of the membership area (/gestion/societariat/). Thin: forms in, services out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.contacts.models import Contact
from placette.lib import money
from placette.lib.confirm import Confirmation, confirm
from placette.lib.exports import csv_response, xlsx_response
from placette.lib.jobs import job_start
from placette.lib.paging import querystring_without_page
from placette.lib.pdf import pdf_response
from placette.lib.permissions import staff_admin_required, staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.membership import (
    approvals,
    dashboard,
    dating,
    fec,
    forms,
    instruments,
    projections,
    register,
    services,
)
from placette.membership.importing import register_import
from placette.membership.lists import MEMBERS, date_of
from placette.membership.models import (
    AccountsApproval,
    Category,
    ClosedFiscalYear,
    College,
    Instrument,
    Member,
    Movement,
    RegisterSnapshot,
    Statutes,
)


def _warn(request: HttpRequest, movement: Movement) -> None:
    for warning in getattr(movement, "warnings", []):
        messages.warning(request, warning)


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    capital = projections.capital_on(today)  # once, for the figures and the page
    context = {
        "figures": dashboard.figures(capital),
        "chart": dashboard.capital_chart_svg(),
        "months": [
            (dashboard.month_label(month), joined, left)
            for month, joined, left in dashboard.newcomers_and_leavers()
        ],
        "by_category": projections.members_by_category(today),
        "by_college": projections.members_by_college(today),
        "statutes": Statutes.objects.in_force(today),
        "authorities": money.euros(projections.authorities_capital(today)),
        "capital": capital,
    }
    return render(request, "membership/home.html", context)


@staff_required
@require_GET
def movement_list(request: HttpRequest) -> HttpResponse:
    date_form = forms.DateForm(request.GET or None)
    on = date_form.on()
    page = register.page(request, on)
    context = {
        "page": page,
        "on": on,
        # who held shares and who was a member that day (the truth of that date)
        "holders_on": projections.capital_on(on).holders,
        "members_on": Member.objects.active_on(on).count(),
        "date_form": date_form,
        "query": querystring_without_page(request),
    }
    return render(request, "membership/movement_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def register_export(request: HttpRequest, fmt: str) -> HttpResponse:
    on = forms.DateForm(request.GET or None).on()
    name = f"registre-{on:%Y-%m-%d}"
    if fmt == "pdf":
        return _register_pdf_start(request, on)
    if fmt in register.EXPORT_TYPES:
        count = Movement.objects.filter(date__lte=on).count()
        if count > settings.LIST_EXPORT_INLINE_ROWS:
            return _register_export_start(request, on, fmt, count)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if fmt == "csv":
        return csv_response(name, *register.sheet(on))
    if fmt == "xlsx":
        return xlsx_response(name, *register.sheet(on))
    raise Http404("Format inconnu")


def _register_export_start(request: HttpRequest, on: dt.date, fmt: str, count: int):
    """A large register (more than LIST_EXPORT_INLINE_ROWS movements) is written by a job."""
    back = f"{reverse('membership:movements')}?date={on:%Y-%m-%d}"
    response = confirm(
        request,
        Confirmation(
            title=_("Registre au %(day)s en %(fmt)s")
            % {"day": f"{on:%d/%m/%Y}", "fmt": fmt.upper()},
            what=_(
                "Le fichier est écrit en arrière-plan ; une page suit l’avancement puis le "
                "propose au téléchargement."
            ),
            count=count,
            count_label=ngettext("mouvement", "mouvements", count),
            button=_("Produire le fichier"),
            cancel_url=back,
            irreversible=False,
        ),
    )
    if response is not None:
        return response
    job = job_start(
        kind="membership.register_export",
        label=_("Registre des mouvements de titres au %(day)s (%(fmt)s)")
        % {"day": f"{on:%d/%m/%Y}", "fmt": fmt.upper()},
        actor=request.user,
        func_path="placette.membership.register.export_job",
        kwargs={"on": on.isoformat(), "fmt": fmt},
        return_url=back,
    )
    return redirect(job)


def _register_pdf_start(request: HttpRequest, on: dt.date) -> HttpResponse:
    """The register PDF takes minutes at scale: a background job, then its progress page."""
    back = f"{reverse('membership:movements')}?date={on:%Y-%m-%d}"
    response = confirm(
        request,
        Confirmation(
            title=_("PDF du registre à parapher"),
            what=_(
                "Le registre au %(day)s sera mis en page en arrière-plan (environ %(pages)s "
                "pages) ; une page suit l’avancement puis propose le fichier."
            )
            % {"day": f"{on:%d/%m/%Y}", "pages": register.pdf_pages_estimate(on)},
            button=_("Produire le PDF"),
            cancel_url=back,
            irreversible=False,
        ),
    )
    if response is not None:
        return response
    job = job_start(
        kind="membership.register_pdf",
        label=_("Registre des mouvements de titres au %(day)s (PDF)") % {"day": f"{on:%d/%m/%Y}"},
        actor=request.user,
        func_path="placette.membership.register.pdf_job",
        kwargs={"on": on.isoformat()},
        return_url=back,
    )
    return redirect(job)


@staff_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    return MEMBERS.render(request, "membership/member_list.html", {"on": date_of(request.GET)})


@staff_required
@require_GET
def holder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _holder_page(request, get_object_or_404(Contact, pk=pk))


def _holder_page(request: HttpRequest, contact: Contact, **bound: Any) -> HttpResponse:
    """The holder page at a date (`?date=`, today by default): the holding, the member number
    and the category of that date. `bound` replaces a blank booking form by the one just
    refused, so the page shows the refusal next to what was typed (nothing is lost)."""
    date_form = forms.DateForm(request.GET or None)
    on = date_form.on()
    member = Member.objects.filter(contact=contact).select_related("category").first()
    pages = register.holder_pages(on, [contact])
    member_on = member if member is not None and member.is_active_on(on) else None
    category_on = None
    if member_on is not None:
        category_id = dating.category_id_on(contact.pk, on)
        category_on = (
            member.category
            if category_id == member.category_id
            else Category.objects.filter(pk=category_id).first()
        )
    history = (
        member.category_changes.select_related("category", "actor").order_by("-effective_on", "-id")
        if member
        else []
    )
    context = {
        "contact": contact,
        "member": member,
        "holding": projections.holding_of(contact, on),
        "on": on,
        "is_today": on == timezone.localdate(),
        "date_form": date_form,
        "member_on": member_on,
        "category_on": category_on,
        "lines": pages[0]["lines"] if pages else [],
        "pending": projections.pending_refund_shares(contact),
        "subscribe_form": forms.SubscribeForm(),
        "payment_form": forms.PaymentForm(),
        "transfer_form": forms.TransferForm(),
        "refund_form": forms.RefundRequestForm(),
        "category_form": forms.CategoryChangeForm() if member and member.admitted_on else None,
        "category_history": history,
        "instruments": contact.instrument_holdings.select_related("instrument"),
    }
    context.update(bound)
    return render(request, "membership/holder_detail.html", context)


@staff_required
@require_POST
def tax_residence(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether the member is a French tax resident (IR-PME statements)."""
    from placette.membership.tax import member_tax_residence_set

    member = get_object_or_404(Member, contact_id=pk)
    resident = request.POST.get("tax_resident_fr") == "1"
    member_tax_residence_set(actor=request.user, member=member, resident=resident)
    messages.success(
        request,
        _("Domicile fiscal en France : %(answer)s.")
        % {"answer": _("oui") if resident else _("non")},
    )
    return redirect("membership:holder", pk=pk)


@staff_required
@require_POST
def category_change(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("contact"), contact_id=pk)
    form = forms.CategoryChangeForm(request.POST)
    if not form.is_valid():
        return _holder_page(request, member.contact, category_form=form)
    try:
        change = services.member_category_change(
            actor=request.user,
            member=member,
            category=form.cleaned_data["category"],
            effective_on=form.cleaned_data["effective_on"],
            reason=form.cleaned_data["reason"],
            decision=form.cleaned_data["decision"],
        )
    except Refusal as exc:
        refusal_show(request, exc, form)
        return _holder_page(request, member.contact, category_form=form)
    else:
        messages.success(
            request,
            (
                _("Catégorie changée : « %(category)s » à compter du %(effective_on)s.")
                % {
                    "category": change.category,
                    "effective_on": format(change.effective_on, "%d/%m/%Y"),
                }
            ),
        )
    return redirect("membership:holder", pk=pk)


@staff_required
@require_GET
def holder_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    on = forms.DateForm(request.GET or None).on()
    return pdf_response(f"registre-titulaire-{pk}", register.pdf(on, holder=contact))


BOOKING_SLOTS = {
    "SubscribeForm": "subscribe_form",
    "PaymentForm": "payment_form",
    "TransferForm": "transfer_form",
    "RefundRequestForm": "refund_form",
}


def _booking(request: HttpRequest, form_class, book, success: str, pk: int) -> HttpResponse:
    """Book from a holder-page form. Refused or invalid: the holder page again, with the
    refusal on the form and the input kept; booked: back to the page (no double post)."""
    contact = get_object_or_404(Contact, pk=pk)
    form = form_class(request.POST)
    slot = BOOKING_SLOTS[form_class.__name__]
    if not form.is_valid():
        return _holder_page(request, contact, **{slot: form})
    try:
        movement = book(contact, form.cleaned_data, form.idempotency_key())
    except Refusal as exc:
        refusal_show(request, exc, form)
        return _holder_page(request, contact, **{slot: form})
    _warn(request, movement)
    messages.success(request, success % {"number": movement.number})
    return redirect("membership:holder", pk=pk)


@staff_required
@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    def book(contact, data, key):
        return services.shares_subscribe(
            actor=request.user,
            contact=contact,
            shares=data["shares"],
            category=data["category"],
            on=data["on"],
            paid=data["paid"],
            reference=data["reference"],
            idempotency_key=key,
        )

    return _booking(
        request, forms.SubscribeForm, book, _("Souscription enregistrée (n° %(number)s)."), pk
    )


@staff_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    def book(contact, data, key):
        return services.shares_pay(
            actor=request.user,
            contact=contact,
            amount=data["amount"],
            on=data["on"],
            reference=data["reference"],
            idempotency_key=key,
        )

    return _booking(
        request, forms.PaymentForm, book, _("Libération enregistrée (n° %(number)s)."), pk
    )


@staff_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def book(contact, data, key):
        service = services.shares_give if data["kind"] == "gift" else services.shares_transfer
        out, _ = service(
            actor=request.user,
            giver=contact,
            receiver=data["receiver"],
            shares=data["shares"],
            category=data["category"],
            on=data["on"],
            note=data["note"],
            idempotency_key=key,
        )
        return out

    return _booking(request, forms.TransferForm, book, _("Mouvement n° %(number)s enregistré."), pk)


@staff_required
@require_POST
def refund_request(request: HttpRequest, pk: int) -> HttpResponse:
    def book(contact, data, key):
        return services.refund_request(
            actor=request.user,
            contact=contact,
            shares=data["shares"],
            on=data["on"],
            note=data["note"],
            idempotency_key=key,
        )

    return _booking(
        request, forms.RefundRequestForm, book, _("Demande de remboursement n° %(number)s."), pk
    )


@staff_required
def movement_detail(request: HttpRequest, number: int) -> HttpResponse:
    movement = get_object_or_404(
        Movement.objects.select_related("holder", "counterparty", "reverses", "related"),
        number=number,
    )
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.movement_cancel(
                actor=request.user,
                movement=movement,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                idempotency_key=form.idempotency_key(),
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request, (_("Mouvement n° %(number)s annulé.") % {"number": movement.number})
            )
            return redirect("membership:holder", pk=movement.holder_id)
    context = {
        "movement": movement,
        "form": form,
        "reversed_by": Movement.objects.filter(reverses=movement).first(),
        "followers": movement.followers.all(),
    }
    return render(request, "membership/movement_detail.html", context)


@staff_required
def refund_pipeline(request: HttpRequest) -> HttpResponse:
    statutes = Statutes.objects.in_force()
    today = timezone.localdate()
    approved = {a.year: a for a in AccountsApproval.objects.all()}
    to_pay = []
    year_end_shares: dict[int, int] = {}
    for decision in projections.refunds_to_pay():
        terms = (
            services.refund_terms(decision, statutes, approved, year_end_shares) if statutes else {}
        )
        to_pay.append(
            {
                "decision": decision,
                **terms,
                "waiting_ago": bool(
                    statutes and statutes.refund_after_ago and decision.date.year not in approved
                ),
                "overdue": bool(terms and terms["latest"] < today),
            }
        )
    context = {
        "requests": projections.pending_requests(),
        "to_pay": to_pay,
        "decision_form": forms.RefundDecisionForm(),
        "payment_form": forms.RefundPaymentForm(),
        "approval_form": forms.AccountsApprovalForm(meetings=approvals.ago_meetings()),
        "approvals": approved.values(),
        "statutes": statutes,
    }
    return render(request, "membership/refund_pipeline.html", context)


@staff_admin_required
@require_POST
def accounts_approval(request: HttpRequest) -> HttpResponse:
    """Record the AGO (governance) that approved the accounts of a year, with its result."""
    form = forms.AccountsApprovalForm(request.POST, meetings=approvals.ago_meetings())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("membership:refunds")
    data = form.cleaned_data
    try:
        approval = approvals.accounts_approval_record(
            actor=request.user,
            year=data["year"],
            meeting_id=int(data["meeting"]) if data["meeting"] else None,
            minutes_reference=data["minutes_reference"],
            approved_on=data["approved_on"],
            result=data["result"],
        )
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, str(approval))
    return redirect("membership:refunds")


@staff_required
@require_POST
def refund_decide(request: HttpRequest, number: int) -> HttpResponse:
    movement = get_object_or_404(Movement, number=number)
    form = forms.RefundDecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.refund_decide(
                actor=request.user,
                request=movement,
                accepted=form.cleaned_data["accepted"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                idempotency_key=form.idempotency_key(),
            )
            messages.success(request, _("Décision enregistrée."))
            _warn(request, decision)
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Formulaire incomplet."))
    return redirect("membership:refunds")


@staff_required
@require_POST
def refund_pay(request: HttpRequest) -> HttpResponse:
    """Pay a batch of accepted refunds (checked boxes) with one AGO date."""
    form = forms.RefundPaymentForm(request.POST)
    numbers = [int(n) for n in request.POST.getlist("decision") if n.isdigit()]
    if not form.is_valid() or not numbers:
        messages.error(request, _("Choisissez au moins un remboursement et une date."))
        return redirect("membership:refunds")
    try:
        with transaction.atomic():
            for decision in Movement.objects.filter(number__in=numbers).order_by("number"):
                payment = services.refund_pay(
                    actor=request.user,
                    decision=decision,
                    on=form.cleaned_data["on"],
                    reference=form.cleaned_data["reference"],
                    idempotency_key=f"{form.idempotency_key()}-{decision.number}"
                    if form.idempotency_key()
                    else None,
                )
                _warn(request, payment)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request, (_("%(count)s remboursement(s) payé(s).") % {"count": len(numbers)})
        )
    return redirect("membership:refunds")


# --------------------------------------------------------------------------------------------
# Statutes settings (staff admins)
# --------------------------------------------------------------------------------------------


@staff_required
@require_GET
def statutes_page(request: HttpRequest) -> HttpResponse:
    versions = Statutes.objects.select_related("created_by").prefetch_related(
        "rules__category", "rules__college", "weights__college"
    )
    context = {"current": Statutes.objects.in_force(), "versions": versions}
    return render(request, "membership/statutes.html", context)


@staff_admin_required
def statutes_edit(request: HttpRequest) -> HttpResponse:
    current = Statutes.objects.in_force() or Statutes.objects.first()
    rules = current.category_rules() if current else {}
    weights = {w.college_id: w.weight_percent for w in current.weights.all()} if current else {}
    initial_rules = [
        {
            "category": c,
            "included": c.pk in rules,
            "min_shares": rules[c.pk].min_shares if c.pk in rules else 1,
            "max_shares": rules[c.pk].max_shares if c.pk in rules else None,
            "college": rules[c.pk].college if c.pk in rules else None,
            "open_to_public": (
                rules[c.pk].open_to_public
                if c.pk in rules
                else not (c.is_employees or c.is_local_authorities)
            ),
        }
        for c in Category.objects.all()
    ]
    initial_weights = [
        {"college": c, "weight_percent": weights.get(c.pk)} for c in College.objects.all()
    ]
    data = request.POST or None
    form = forms.StatutesForm(data, instance=None, initial=_initial(current))
    rule_set = forms.CategoryRuleFormSet(data, initial=initial_rules, prefix="rules")
    weight_set = forms.CollegeWeightFormSet(data, initial=initial_weights, prefix="weights")
    errors: list[str] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and rule_set.is_valid()
        and weight_set.is_valid()
    ):
        try:
            services.statutes_update(
                actor=request.user,
                data=form.cleaned_data,
                rules=[r for r in rule_set.cleaned_data if r.get("included")],
                weights={
                    w["college"]: w["weight_percent"]
                    for w in weight_set.cleaned_data
                    if w.get("weight_percent")
                },
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except Refusal as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Nouvelle version des statuts enregistrée."))
            return redirect("membership:statutes")
    context = {
        "form": form,
        "rule_set": rule_set,
        "weight_set": weight_set,
        "errors": errors,
        "category_form": forms.CategoryForm(prefix="cat"),
        "college_form": forms.CollegeForm(prefix="col"),
    }
    return render(request, "membership/statutes_form.html", context)


def _initial(current: Statutes | None) -> dict:
    initial = {"effective_from": timezone.localdate()}
    if current:
        for name in forms.StatutesForm.Meta.fields:
            if name not in ("effective_from", "reason"):
                initial[name] = getattr(current, name)
    return initial


@staff_admin_required
@require_POST
def category_create(request: HttpRequest) -> HttpResponse:
    form = forms.CategoryForm(request.POST, prefix="cat")
    if form.is_valid():
        services.category_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Catégorie ajoutée : rattachez-la dans la nouvelle version."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("membership:statutes_edit")


@staff_admin_required
@require_POST
def college_create(request: HttpRequest) -> HttpResponse:
    form = forms.CollegeForm(request.POST, prefix="col")
    if form.is_valid():
        services.college_create(actor=request.user, data=form.cleaned_data)
        messages.success(
            request, _("Collège ajouté : donnez-lui un poids dans la nouvelle version.")
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("membership:statutes_edit")


# --------------------------------------------------------------------------------------------
# Accounting, import, snapshots
# --------------------------------------------------------------------------------------------


@staff_required
@require_GET
def fec_export(request: HttpRequest) -> HttpResponse:
    form = forms.FecForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        encoding = form.cleaned_data["encoding"]
        try:
            filename = fec.fec_filename(end)
        except Refusal as exc:
            form.add_error(None, exc.message)
        else:
            response = HttpResponse(
                fec.fec_bytes(start, end, encoding),
                content_type=f"text/plain; charset={encoding}",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return render(request, "membership/fec.html", {"form": form})


@staff_admin_required
def register_import_view(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = register_import(
                actor=request.user,
                raw=upload.read(),
                filename=upload.name,
                commit="commit" in request.POST,
                expected_shares=form.cleaned_data["expected_shares"],
                expected_capital=form.cleaned_data["expected_capital"],
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            if report.committed:
                messages.success(
                    request,
                    (_("Registre importé : %(count)s mouvement(s).") % {"count": len(report.rows)}),
                )
                return redirect("membership:movements")
    return render(request, "membership/import.html", {"form": form, "report": report})


@staff_required
def snapshot_list(request: HttpRequest) -> HttpResponse:
    form = forms.DateForm(request.POST or None)
    if request.method == "POST" and "close_year" in request.POST:
        if not request.user.is_staff_admin:
            messages.error(request, _("Seule l’administration peut clore un exercice."))
        else:
            try:
                year = int(request.POST.get("year", ""))
            except ValueError:
                messages.error(request, _("Indiquez l’année de l’exercice à clore."))
            else:
                response = confirm(
                    request,
                    Confirmation(
                        title=_("Clore l’exercice %(year)s") % {"year": year},
                        what=_(
                            "Plus aucun mouvement du registre (souscription, libération, "
                            "cession, remboursement, annulation, changement de catégorie) ne "
                            "pourra être daté en %(year)s ni avant. La clôture ne se défait pas."
                        )
                        % {"year": year},
                        button=_("Clore l’exercice %(year)s") % {"year": year},
                        cancel_url=reverse("membership:snapshots"),
                        danger=True,
                    ),
                )
                if response is not None:
                    return response
                try:
                    services.fiscal_year_close(
                        actor=request.user, year=year, note=request.POST.get("note", "")
                    )
                except Refusal as exc:
                    refusal_show(request, exc)
                else:
                    messages.success(
                        request,
                        _("Exercice %(year)s clos : plus aucun mouvement ne peut y être daté.")
                        % {"year": year},
                    )
        return redirect("membership:snapshots")
    if request.method == "POST":
        if not request.user.is_staff_admin:
            messages.error(request, _("Seule l’administration peut arrêter le registre."))
        elif form.is_valid() and form.cleaned_data["date"]:
            on = form.cleaned_data["date"]
            try:
                services.register_snapshot_check(on)
            except Refusal as exc:
                refusal_show(request, exc)
            else:
                return _snapshot_start(request, on)
        return redirect("membership:snapshots")
    year_end = dt.date(timezone.localdate().year - 1, 12, 31)
    context = {
        "snapshots": RegisterSnapshot.objects.select_related("pdf", "csv"),
        "form": form,
        "year_end": year_end,
        "closed_years": ClosedFiscalYear.objects.select_related("closed_by"),
    }
    return render(request, "membership/snapshots.html", context)


def _snapshot_start(request: HttpRequest, on: dt.date) -> HttpResponse:
    movements = Movement.objects.filter(date__lte=on).count()
    response = confirm(
        request,
        Confirmation(
            title=_("Arrêter le registre au %(day)s") % {"day": f"{on:%d/%m/%Y}"},
            what=_(
                "Le registre des mouvements de titres sera arrêté au %(day)s : ses totaux, son "
                "PDF à parapher et son CSV sont archivés une fois pour toutes et ne seront plus "
                "recalculés. Le PDF est produit en arrière-plan (environ %(pages)s pages)."
            )
            % {"day": f"{on:%d/%m/%Y}", "pages": register.pdf_pages_estimate(on)},
            count=movements,
            count_label=ngettext("mouvement arrêté", "mouvements arrêtés", movements),
            button=_("Arrêter et archiver le registre"),
            cancel_url=reverse("membership:snapshots"),
        ),
    )
    if response is not None:
        return response
    job = job_start(
        kind="membership.register_snapshot",
        label=_("Arrêté du registre au %(day)s") % {"day": f"{on:%d/%m/%Y}"},
        actor=request.user,
        func_path="placette.membership.register.snapshot_job",
        kwargs={"on": on.isoformat()},
        return_url=reverse("membership:snapshots"),
    )
    return redirect(job)


# --------------------------------------------------------------------------------------------
# Other instruments
# --------------------------------------------------------------------------------------------


@staff_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    form = forms.InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = instruments.instrument_create(actor=request.user, data=form.cleaned_data)
        messages.success(
            request, (_("Instrument « %(instrument)s » créé.") % {"instrument": instrument})
        )
        return redirect(instrument)
    context = {"instruments": instruments.instruments_with_totals(), "form": form}
    return render(request, "membership/instrument_list.html", context)


@staff_required
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    form = forms.InstrumentHoldingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instruments.instrument_subscribe(
            actor=request.user, instrument=instrument, **form.cleaned_data
        )
        messages.success(request, _("Souscription enregistrée."))
        return redirect(instrument)
    year = timezone.localdate().year - 1
    holdings = instrument.holdings.select_related("holder")
    context = {"instrument": instrument, "holdings": holdings, "form": form, "year": year}
    return render(request, "membership/instrument_detail.html", context)


@staff_required
@require_GET
def instrument_statement(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    content = instruments.interest_statement_pdf(holder=contact, year=year)
    return pdf_response(f"interets-{year}-{pk}", content)
