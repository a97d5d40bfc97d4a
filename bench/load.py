"""`make bench-load`: a bounded load test on loopback, never part of the test suite.

Builds (or reuses) the bench database of 100,000 members (bench/scenario_membership.py), opens
an AG with online voting, serves it with gunicorn (2 processes × 4 threads, production
settings behind an HTTPS header), then, with CONCURRENCY clients at once:
- public pages (the subscription form, the sign-in page, /sante/),
- the member space (home and the AG page of signed-in members),
- the vote: VOTERS members each post their ballot within the same minute,
and prints, per phase, the throughput and the p50/p95 latency (median of RUNS runs), then checks
that the vote phase left exactly one ballot per voter. The figures go into docs/benchmarks.md
between the `load` markers (`make bench` keeps that section).

SQLite by default (bench/out/bench.sqlite3), PostgreSQL with BENCH_DATABASE_URL.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from two_processes import NoRedirect, free_port  # noqa: E402

OUT = ROOT / "bench" / "out"
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
os.environ.setdefault("DEBUG", "1")  # this process only builds data
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}"
)
# the sessions made here are signed with the key the servers use
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "20"))
REQUESTS = int(os.environ.get("LOAD_REQUESTS", "400"))
VOTERS = int(os.environ.get("LOAD_VOTERS", "200"))
RUNS = int(os.environ.get("LOAD_RUNS", "3"))
MARK_START, MARK_END = "<!-- load:start -->", "<!-- load:end -->"


def prepare() -> tuple[int, int, list[tuple[str, int]]]:
    """The meeting, its open resolution and VOTERS signed-in members (session key, contact)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from bench.scenario_governance import ON, _members
    from placette.accounts.models import User
    from placette.governance import services
    from placette.governance.models import Ballot, Body, BodyKind, Meeting, MeetingKind, RollEntry

    _members()
    body = Body.objects.get_or_create(name="Assemblée générale", defaults={"kind": BodyKind.AG})[0]
    meeting = Meeting.objects.filter(title="AG charge").first()
    if meeting is None:
        meeting = services.meeting_create(
            actor=None,
            body=body,
            kind=MeetingKind.AGO,
            title="AG charge",
            starts_at=timezone.now() + dt.timedelta(days=30),
            cutoff_date=ON,
            vote_opens_at=timezone.now() - dt.timedelta(days=1),
        )
        services.resolution_add(actor=None, meeting=meeting, title="Approbation des comptes")
        services.roll_freeze(actor=None, meeting=meeting)
    resolution = meeting.resolutions.get()
    Ballot.objects.filter(resolution=resolution).delete()
    roll = RollEntry.objects.filter(meeting=meeting).order_by("id")
    entries = list(roll.values_list("contact_id", flat=True)[:VOTERS])
    voters = []
    for n, contact_id in enumerate(entries):
        email = f"votant{n:04}@charge.exemple"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, role="member", display_name=f"Votant {n}", contact_id=contact_id
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        voters.append((session.session_key, contact_id))
    return meeting.pk, resolution.pk, voters


def fetch(base: str, path: str, session: str = "", data: dict | None = None, csrf: str = ""):
    """One request as the HTTPS proxy would pass it; returns (status, seconds, body)."""
    request = urllib.request.Request(
        base + path, data=urllib.parse.urlencode(data).encode() if data else None
    )
    request.add_header("X-Forwarded-Proto", "https")
    request.add_header("Host", "127.0.0.1")
    cookies = [f"sessionid={session}"] if session else []
    if csrf:
        cookies.append(f"csrftoken={csrf}")
        request.add_header("Origin", "https://127.0.0.1")
        request.add_header("Referer", "https://127.0.0.1" + path)
    if cookies:
        request.add_header("Cookie", "; ".join(cookies))
    opener = urllib.request.build_opener(NoRedirect())
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode(errors="replace"), exc.code
    return status, time.perf_counter() - start, body


def phase(jobs: list) -> dict[str, float]:
    """Run the callables `jobs` with CONCURRENCY at once; throughput and latencies."""
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    elapsed = time.perf_counter() - start
    bad = [status for status, _, _ in results if status not in (200, 302)]
    if bad:
        raise SystemExit(f"réponses en erreur : {bad[:10]} ({len(bad)} sur {len(results)})")
    times = sorted(seconds for _, seconds, _ in results)
    return {
        "n": len(results),
        "rps": len(results) / elapsed,
        "p50": times[len(times) // 2],
        "p95": times[int(len(times) * 0.95) - 1],
        "elapsed": elapsed,
    }


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    meeting, resolution, voters = prepare()
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PLACETTE_TESTING"}}
    env.update(
        {
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
            "BEHIND_PROXY": "1",
            "PLACETTE_MANIFEST_STATIC": "0",
            "CONN_MAX_AGE": "60",
        }
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "placette.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(OUT / "load-gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if fetch(base, "/sante/")[0] == 200:
                    break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.2)
        meeting_path = f"/espace/gouvernance/reunions/{meeting}/"
        public = ["/souscrire/", "/comptes/login/", "/sante/"]
        figures: dict[str, dict[str, float]] = {}

        def public_jobs():
            return [lambda p=public[i % 3]: fetch(base, p) for i in range(REQUESTS)]

        def member_page(path: str, session: str):
            status, seconds, body = fetch(base, path, session=session)
            # a redirect here is the sign-in page: the session was refused, not a page served
            return (status if status != 302 else 401), seconds, body

        def member_jobs():
            sessions = [session for session, _ in voters]
            pages = ("/espace/", meeting_path)
            return [
                lambda i=i: member_page(pages[i % 2], sessions[i % len(sessions)])
                for i in range(REQUESTS)
            ]

        def vote_jobs(choice: str):
            def vote(session: str):
                status, _, body = fetch(base, meeting_path, session=session)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
                if status != 200 or token is None:
                    return status or 500, 0.0, body
                return fetch(
                    base,
                    meeting_path + "voter/",
                    session=session,
                    data={"csrfmiddlewaretoken": token[1], f"r{resolution}": choice},
                    csrf=token[1],
                )

            return [lambda s=session: vote(s) for session, _ in voters]

        print(f"— {vendor}, {CONCURRENCY} clients à la fois, médiane de {RUNS} séries", flush=True)
        phase(public_jobs())  # warm-up: imports, connections, caches
        figures["pages publiques (formulaire de souscription, connexion, /sante/)"] = median_of(
            [phase(public_jobs()) for _ in range(RUNS)]
        )
        figures["espace sociétaire (accueil, page de l’AG)"] = median_of(
            [phase(member_jobs()) for _ in range(RUNS)]
        )
        votes = []
        for run in range(RUNS):
            votes.append(phase(vote_jobs(("yes", "no", "abstain")[run % 3])))
        figures[f"vote en ligne ({VOTERS} sociétaires, page de l’AG puis bulletin)"] = median_of(
            votes
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    import django.db

    django.db.connections.close_all()
    from placette.governance.models import Ballot

    ballots = Ballot.objects.filter(resolution_id=resolution)
    counted = ballots.count()
    distinct = ballots.values("voter_id").distinct().count()
    if counted != VOTERS or distinct != VOTERS:
        raise SystemExit(f"{counted} bulletins ({distinct} votants) pour {VOTERS} votes")
    lines = [
        MARK_START,
        f"## Charge (bench/load.py, {vendor}, 100 000 sociétaires)",
        "",
        f"gunicorn 2 processus × 4 fils sur la boucle locale, {CONCURRENCY} clients à la fois ;"
        f" chaque chiffre est la médiane de {RUNS} séries ({time.strftime('%Y-%m-%d')}).",
        "",
        "| phase | requêtes | débit (req/s) | p50 | p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, f in figures.items():
        lines.append(
            f"| {label} | {f['n']:.0f} | {f['rps']:.1f} | {f['p50'] * 1000:.0f} ms "
            f"| {f['p95'] * 1000:.0f} ms |"
        )
    lines += [
        "",
        f"- après les {RUNS} séries de vote : {counted} bulletins pour {VOTERS} votants (un par"
        " votant, chaque série remplaçant le choix de la précédente)",
        MARK_END,
    ]
    text = "\n".join(lines)
    print(text)
    (OUT / f"load-{vendor}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
