"""The deliverability page: the sending domain's SPF, DKIM and DMARC records read by the server
(dnspython), and the complaint rate of the last 30 days against Gmail's 0.3 % limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

# Gmail's bulk sender rule: keep spam complaints under 0.3 % (0.1 % recommended).
COMPLAINT_LIMIT_PERCENT = Decimal("0.3")


@dataclass
class Check:
    name: str
    ok: bool | None  # None: not checked
    found: list[str] = field(default_factory=list)
    advice: str = ""


@dataclass
class DomainReport:
    domain: str
    checked: bool
    checks: list[Check]


def sending_domain() -> str:
    configured = getattr(settings, "MAILING_SENDING_DOMAIN", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]


def txt_records(name: str) -> list[str]:
    """The TXT records of `name` ([] when there is none or DNS does not answer)."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=4)
    except (dns.exception.DNSException, OSError):
        return []
    return [b"".join(r.strings).decode("utf-8", "replace") for r in answer]


def domain_report(*, check: bool) -> DomainReport:
    """SPF (a `v=spf1` TXT on the domain), DKIM (a `v=DKIM1` or `p=` TXT under one of the
    configured selectors) and DMARC (`v=DMARC1` at `_dmarc.`); looked up only when asked."""
    domain = sending_domain()
    if not check:
        return DomainReport(domain=domain, checked=False, checks=[])
    spf = [r for r in txt_records(domain) if r.lower().startswith("v=spf1")]
    dkim: list[str] = []
    for selector in getattr(settings, "MAILING_DKIM_SELECTORS", []):
        selector = selector.strip()
        if selector:
            found = [
                f"{selector}: {r[:80]}…"
                for r in txt_records(f"{selector}._domainkey.{domain}")
                if "v=dkim1" in r.lower() or "p=" in r
            ]
            dkim += found
    dmarc = [r for r in txt_records(f"_dmarc.{domain}") if r.lower().startswith("v=dmarc1")]
    checks = [
        Check(
            "SPF",
            len(spf) == 1,
            spf,
            _(
                "Un seul enregistrement TXT « v=spf1 … » incluant le relais "
                "(ex. include:spf.brevo.com)."
            )
            if len(spf) != 1
            else "",
        ),
        Check(
            "DKIM",
            bool(dkim),
            dkim,
            ""
            if dkim
            else _("Publiez la clé DKIM donnée par le relais (sélecteurs cherchés : %(s)s).")
            % {"s": ", ".join(getattr(settings, "MAILING_DKIM_SELECTORS", []))},
        ),
        Check(
            "DMARC",
            bool(dmarc),
            dmarc,
            ""
            if dmarc
            else _("Publiez « v=DMARC1; p=none; rua=mailto:… » sur _dmarc.%(d)s.") % {"d": domain},
        ),
    ]
    return DomainReport(domain=domain, checked=True, checks=checks)


@dataclass(frozen=True)
class ComplaintRate:
    sent: int
    complaints: int
    percent: Decimal | None

    @property
    def over_limit(self) -> bool:
        return self.percent is not None and self.percent >= COMPLAINT_LIMIT_PERCENT

    @property
    def limit(self) -> Decimal:
        return COMPLAINT_LIMIT_PERCENT


def complaint_rate(days: int = 30) -> ComplaintRate:
    """Complaints over newsletters sent in the last `days` days (two queries)."""
    from placette.lib.models import MessageStatus, OutgoingMessage
    from placette.mailing.models import MailEvent, MailEventKind

    since = timezone.now() - timedelta(days=days)
    sent = OutgoingMessage.objects.filter(
        kind="mailing.campaign", status=MessageStatus.SENT, sent_at__gte=since
    ).count()
    complaints = MailEvent.objects.filter(kind=MailEventKind.COMPLAINT, at__gte=since).count()
    percent = (
        (Decimal(complaints) * 100 / Decimal(sent)).quantize(Decimal("0.01")) if sent else None
    )
    return ComplaintRate(sent=sent, complaints=complaints, percent=percent)
