"""A bounded load test of live voting on loopback (issue 11): an AG of 10,000 members, 2,000
present and 500 remote, each voting once from their « phone » — an HTTP POST to the members'
vote page — against gunicorn (2 processes × 4 threads) in the production settings on PostgreSQL.

Measures, for each of RUNS resolutions: opening the vote (`live.live_vote_open`), the 2,500
POSTs (wall time, median and 95th percentile of a request), then the live weighted result —
the projector's `projection/etat/` page over HTTP, `services.resolution_result` in process,
and the raw SQL `GROUP BY college, choice` of the same ballots. Prints a markdown table (the
median of the runs) to copy into docs/benchmarks.md.

Bounded: at most 2,500 requests a run, CLIENTS threads, a 120 s ceiling a run (requests not
sent by then are counted, not sent), loopback only (127.0.0.1), then the processes are
stopped. Reports how many votes were recorded within the first minute. Not a test.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/placette python bench/live_votes.py
(the database named in the URL gets a `_livebench` suffix; it is dropped and created again).
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from two_processes import NoRedirect, fail, free_port  # noqa: E402

PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
MEMBERS, PRESENT, REMOTE = 10_000, 2_000, 500
RUNS = int(os.environ.get("RUNS", "3"))
CLIENTS = int(os.environ.get("CLIENTS", "12"))
CEILING_S = 120
WEIGHTS = {
    "Bénévoles et salariés": "2/5",
    "Bénéficiaires individuels": "1/4",
    "Bénéficiaires professionnels et collectivités": "1/4",
    "Soutiens": "1/10",
}


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/placette")
    if not base.startswith("postgres"):
        fail("ce banc tourne sur PostgreSQL (DATABASE_URL=postgres://…)")
    parts = urllib.parse.urlsplit(base)
    name = parts.path.lstrip("/") + "_livebench"
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def build():
    """The AG, its frozen roll of 10,000 voters with four colleges, 2,500 of them in session,
    their accounts and open sessions (rows written in bulk: the roll freeze is measured by
    bench/scenario_governance.py)."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from placette.accounts.models import User
    from placette.contacts.models import Contact
    from placette.governance.models import (
        Attendance,
        Body,
        BodyKind,
        Meeting,
        MeetingKind,
        MeetingStatus,
        Resolution,
        RollEntry,
    )

    now = timezone.now()
    body = Body.objects.get_or_create(name="Assemblée générale", defaults={"kind": BodyKind.AG})[0]
    meeting = Meeting.objects.create(
        body=body,
        kind=MeetingKind.AGO,
        title="AG de banc",
        starts_at=now - dt.timedelta(minutes=5),
        cutoff_date=timezone.localdate() - dt.timedelta(days=30),
        status=MeetingStatus.CONVENED,
        legal_form="SA",
        colleges_enabled=True,
        college_weights=WEIGHTS,
        roll_frozen_at=now - dt.timedelta(days=25),
        convened_at=now - dt.timedelta(days=20),
    )
    for n in range(1, RUNS + 1):
        Resolution.objects.create(meeting=meeting, number=n, title=f"Résolution de banc {n}")
    contacts = []
    for i in range(MEMBERS):
        contact = Contact(kind="person", first_name=f"Prénom{i}", last_name=f"Nom{i}")
        contact.refresh_derived(organisation_names=[])
        contacts.append(contact)
    contacts = Contact.objects.bulk_create(contacts, batch_size=2000)
    colleges = list(WEIGHTS)
    entries = RollEntry.objects.bulk_create(
        [
            RollEntry(
                meeting=meeting,
                contact=c,
                member_number=i + 1,
                name=c.display_name,
                college=colleges[i % 4],
                shares=1,
                attendance=Attendance.PRESENT
                if i < PRESENT
                else Attendance.REMOTE
                if i < PRESENT + REMOTE
                else "",
                attendance_at=now if i < PRESENT + REMOTE else None,
            )
            for i, c in enumerate(contacts)
        ],
        batch_size=2000,
    )
    voters = entries[: PRESENT + REMOTE]
    users = User.objects.bulk_create(
        [
            User(
                email=f"votant{i}@exemple.fr", role="member", contact_id=e.contact_id, password="!"
            )
            for i, e in enumerate(voters)
        ],
        batch_size=2000,
    )
    sessions = []
    for user in User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    chair = User.objects.create(email="presidence@exemple.fr", role="staff", password="!")
    store = SessionStore()
    store[SESSION_KEY] = str(chair.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = chair.get_session_auth_hash()
    store.create()
    by_user = {u.contact_id: u.pk for u in users}
    voter_rows = [(by_user[e.contact_id], e.pk) for e in voters]
    return meeting, voter_rows, sessions, store.session_key


class Http:
    """One loopback request with a session and a CSRF token, as the HTTPS proxy would send."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(NoRedirect())

    def call(self, path: str, session: str, data: dict[str, str] | None = None):
        csrf = secrets.token_hex(16)  # 32 characters: an unmasked secret, cookie = header
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Host", "127.0.0.1")
        req.add_header("Cookie", f"sessionid={session}; csrftoken={csrf}")
        if data is not None:
            req.add_header("X-CSRFToken", csrf)
            req.add_header("Referer", "https://127.0.0.1" + path)
            req.add_header("Origin", "https://127.0.0.1")
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, ""
        except OSError as exc:  # reset or timed out: counted as a failure, never retried
            status, text = -1, str(exc)
        return status, time.perf_counter() - start, text


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    url = database_url()
    work = Path(tempfile.mkdtemp(prefix="placette-livebench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PLACETTE_TESTING", "PYTEST"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "placette.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "60",
            "EMAIL_URL": "smtp://127.0.0.1:9",
            "DEFAULT_FROM_EMAIL": "Placette <contact@exemple.fr>",
            "BEHIND_PROXY": "1",
            "MEDIA_ROOT": str(work / "media"),
            "PRIVATE_ROOT": str(work / "private"),
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.update(env)
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from placette.governance import live, services
    from placette.governance.models import Ballot

    print("== migrate, build the AG of 10,000 members")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    t = time.perf_counter()
    meeting, voters, sessions, chair_session = build()
    print(f"   built in {ms(time.perf_counter() - t)}")
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "placette.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "web.log", "w"),  # noqa: SIM115
    )
    http = Http(port)
    rows: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    try:
        for _ in range(100):
            try:
                if http.call("/sante/", "")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            fail("gunicorn ne répond pas")
        vote_path = f"/espace/gouvernance/reunions/{meeting.pk}/seance/voter/"
        state_path = f"/gestion/gouvernance/reunions/{meeting.pk}/projection/etat/"
        for run, resolution in enumerate(meeting.resolutions.order_by("number"), start=1):
            t = time.perf_counter()
            live.live_vote_open(actor=None, resolution=resolution, minutes=60)
            rows.setdefault("ouvrir le vote (live_vote_open)", []).append(time.perf_counter() - t)
            deadline = time.monotonic() + CEILING_S

            def vote(i: int, resolution=resolution, deadline=deadline):
                if time.monotonic() > deadline:
                    return 0, 0.0
                _user, entry = voters[i]
                status, took, _text = http.call(
                    vote_path,
                    sessions[i],
                    {
                        "item": f"r:{resolution.pk}",
                        "for": str(entry),
                        "choice": ("yes", "no", "abstain")[i % 3],
                    },
                )
                return status, took

            start = time.perf_counter()
            vote_started = timezone.now()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                results = list(pool.map(vote, range(len(voters))))
            wall = time.perf_counter() - start
            statuses = [s for s, _ in results]
            latencies = sorted(took for s, took in results if s)
            stored = Ballot.objects.filter(resolution=resolution).count()
            if (
                statuses.count(302) != stored
                or statuses.count(-1)
                or (stored < len(voters) and statuses.count(0) == 0)
            ):
                fail(
                    f"run {run}: {statuses.count(302)} réponses 302, {stored} bulletins, "
                    f"{statuses.count(-1)} connexions perdues, {statuses.count(0)} hors délai"
                )
            in_a_minute = Ballot.objects.filter(
                resolution=resolution, cast_at__lt=vote_started + dt.timedelta(seconds=60)
            ).count()
            counts.setdefault("votes enregistrés dans la première minute", []).append(in_a_minute)
            counts.setdefault("votes enregistrés en tout (plafond 120 s)", []).append(stored)
            counts.setdefault("votes par seconde", []).append(round(stored / wall))
            rows.setdefault("durée de la phase de vote", []).append(wall)
            rows.setdefault("un vote (médiane)", []).append(statistics.median(latencies))
            rows.setdefault("un vote (95e centile)", []).append(
                latencies[int(len(latencies) * 0.95)]
            )
            page = []
            for _ in range(7):
                status, took, text = http.call(state_path, chair_session)
                if status != 200 or "Résultat provisoire" not in text:
                    fail(f"page de projection : {status}")
                page.append(took)
            rows.setdefault("résultat pondéré en direct, page de projection (HTTP)", []).append(
                statistics.median(page)
            )
            inproc = []
            for _ in range(7):
                t = time.perf_counter()
                services.resolution_result(resolution)
                inproc.append(time.perf_counter() - t)
            rows.setdefault("résultat pondéré (resolution_result, tally.py)", []).append(
                statistics.median(inproc)
            )
            raw = []
            for _ in range(7):
                t = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT college, choice, COUNT(*) FROM governance_ballot "
                        "WHERE resolution_id = %s GROUP BY college, choice",
                        [resolution.pk],
                    )
                    cursor.fetchall()
                raw.append(time.perf_counter() - t)
            rows.setdefault("le même décompte en SQL brut (GROUP BY)", []).append(
                statistics.median(raw)
            )
            t = time.perf_counter()
            live.live_vote_close(actor=None, resolution=resolution)
            rows.setdefault("clore le vote (quorum, résultat figé, registre)", []).append(
                time.perf_counter() - t
            )
            print(f"   run {run}: {stored} votes in {ms(wall)}, {in_a_minute} in the first minute")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n| AG de {MEMBERS} sociétaires, {PRESENT + REMOTE} votants en séance (médiane de "
        f"{RUNS} passes, {CLIENTS} clients, gunicorn 2 processus × 4 fils, PostgreSQL) | durée |"
    )
    print("|---|---|")
    for label, values in rows.items():
        print(f"| {label} | {ms(statistics.median(values))} |")
    for label, numbers in counts.items():
        print(f"| {label} | {statistics.median(numbers):.0f} (passes : {numbers}) |")
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
