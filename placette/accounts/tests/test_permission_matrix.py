"""Issue 9: every URL of the site, walked from the resolver (a new URL is covered without being
listed), visited as anonymous, member, activity holder, board member, staff and staff admin,
with GET and POST, against the expected table below. Ids in URLs point at no row, so a role that
is let in meets a 404, never a 500, and a role that is refused is refused before any lookup.
"""

import re

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from placette.test import BaseTestCase

ROLES = ("anonymous", "member", "activity_holder", "board_member", "staff", "staff_admin")
TEAM = {"staff", "staff_admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)

# Pages of /gestion/ kept to staff admins (accounts, audit, statutes, technical settings).
STAFF_ADMIN_ONLY = {
    "backoffice:audit",
    "accounts:list",
    "accounts:detail",
    "membership:statutes_edit",
    "membership:category_create",
    "membership:college_create",
    "membership:import",
    "membership:accounts_approval",
    "membership_public:tax_year",
    "places:settings",
    "studies:settings",
}
# Steps of the sign-in flow that send back to the sign-in page when no sign-in is under way.
SIGN_IN_FLOW = {"home", "mfa_authenticate", "account_confirm_login_code", "account_logout"}
# Pages of the board's own space (read-only): board members and the team.
BOARD = {"board", "board_member", "staff", "staff_admin"}
# The meeting in session (issue 11): the desk, the chair's console and the projector are for the
# team and the board (the chair is a staff member or a director).
LIVE_CHAIR = {
    "governance:live_desk",
    "governance:live_checkin_code",
    "governance:live_console",
    "governance:live_open",
    "governance:live_close",
    "governance:live_show",
    "governance:live_amendment_add",
    "governance:live_projector",
    "governance:live_state",
}
# Sign-in pages only the team has (they answer 404 to the others).
TEAM_SIGN_IN = {
    "account_reauthenticate",
    "account_change_password",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}
# The API takes bearer tokens only: a browser session of any role is refused.
API_PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}

SAMPLES = {
    "int": "987654",
    "str": "csv",
    "slug": "x",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}


def walk(patterns=None, prefix="/", namespaces=()):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = ":".join((*namespaces, pattern.name or ""))
            route = str(pattern.pattern)
            if not isinstance(pattern.pattern, RoutePattern):
                continue  # the one regex (password reset key) is checked by the sign-in tests
            path = re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m: SAMPLES.get(m.group(1) or "str", "x"),
                prefix + route,
            )
            yield path, name


def expected(path: str, name: str) -> set[str]:
    if path.startswith("/admin/"):
        return TEAM
    if name in LIVE_CHAIR:
        return BOARD - {"board"}
    if path.startswith("/gestion/"):
        return {"staff_admin"} if name in STAFF_ADMIN_ONLY else TEAM
    if path.startswith("/espace/conseil/"):
        return BOARD - {"board"}
    if path.startswith("/espace/"):
        return SIGNED_IN
    if path.startswith("/documents/"):
        # Signed-in users reach the guard, which answers 404 unless they may read the file.
        return SIGNED_IN
    if path.startswith("/api/"):
        return EVERYONE if name in API_PUBLIC else set()
    if name in TEAM_SIGN_IN:
        return TEAM
    if name == "account_logout":
        return SIGNED_IN
    if name == "home":
        return EVERYONE
    return EVERYONE  # sign-in pages, the public subscription form


URLS = sorted(
    (path, name)
    for path, name in walk()
    if not path.startswith("/admin/") or path in {"/admin/", "/admin/login/"}
)


def group_of(path: str) -> str:
    return "/".join(path.split("/")[1:3])


GROUPS = sorted({group_of(path) for path, _ in URLS})


class PermissionMatrixTests(BaseTestCase):
    maxDiff = None

    def check(self, prefix: str) -> None:
        problems = []
        personas = {role: getattr(self, role, None) for role in ROLES}
        for path, name in URLS:
            if group_of(path) != prefix:
                continue
            allowed = expected(path, name)
            for role, user in personas.items():
                self.client.logout()
                if user is not None:
                    self.login(user)
                # Roles let in are checked on GET; every refused role on GET and POST.
                for method in ("get",) if role in allowed else ("get", "post"):
                    response = getattr(self.client, method)(path)
                    status = response.status_code
                    location = response.get("Location", "")
                    to_sign_in = status == 302 and (
                        "/comptes/login/" in location or "/admin/login/" in location
                    )
                    refused = status in (401, 403, 404, 405) or to_sign_in
                    if status >= 500 and status != 503:  # 503: the public form closed (no statutes)
                        problems.append(f"{method.upper()} {path} ({name}) as {role}: {status}")
                    elif role in allowed and status in (401, 403):
                        problems.append(
                            f"{method.upper()} {path} ({name}) as {role}: refused {status}"
                        )
                    elif role in allowed and to_sign_in and name not in SIGN_IN_FLOW:
                        problems.append(
                            f"{method.upper()} {path} ({name}) as {role}: sent to sign-in"
                        )
                    elif role not in allowed and not refused:
                        problems.append(
                            f"{method.upper()} {path} ({name}) as {role}: LET IN {status}"
                        )
        self.assertEqual(problems, [])


def _make(prefix):
    def test(self):
        self.check(prefix)

    test.__name__ = (
        "test_every_url_under_"
        + re.sub(r"\W", "_", prefix or "root")
        + "_admits_exactly_the_expected_roles"
    )
    return test


for _group in GROUPS:
    _test = _make(_group)
    setattr(PermissionMatrixTests, _test.__name__, _test)


def test_the_matrix_walks_every_url_of_the_site():
    names = {name for _, name in URLS}
    assert len(URLS) > 150
    assert {
        "contacts:list",
        "membership:movements",
        "governance:meeting",
        "places:arrears",
    } <= names
