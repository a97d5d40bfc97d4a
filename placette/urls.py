from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from placette.api.urls import api
from placette.backoffice import views as backoffice_views
from placette.lib import views as lib_views
from placette.lib.health import health

admin.site.site_header = "Placette — administration technique"
# The admin signs in through the site's own sign-in (lock-out, TOTP), never its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", backoffice_views.home, name="home"),
    path("sante/", health, name="health"),
    path("gestion/", include("placette.backoffice.urls")),
    path("gestion/comptes/", include("placette.accounts.urls")),
    path("gestion/travaux/", include("placette.lib.jobs_urls")),
    path("gestion/listes/", include("placette.lib.listing_urls")),
    path("gestion/contacts/", include("placette.contacts.urls")),
    path("gestion/societariat/", include("placette.membership.urls")),
    path("gestion/lieux/", include("placette.places.urls")),
    path("gestion/impact/", include("placette.impact.urls")),
    # Public questionnaires of the impact area: personal links and inhabitants' links.
    path("questionnaire/", include("placette.impact.public_urls")),
    path("gestion/etudes/", include("placette.studies.urls")),
    path("gestion/communaute/", include("placette.community.urls")),
    # Public iCal feed of the events and trainings.
    path("evenements/", include("placette.community.public_urls")),
    # Public pages of the membership area (the online subscription form lives at /souscrire/).
    path("", include("placette.membership.public_urls")),
    path("gestion/gouvernance/", include("placette.governance.urls")),
    path("gestion/communication/", include("placette.mailing.urls")),
    # Public pages of the mailing area: archive, sign-up, preferences, one-click unsubscribe.
    path("lettres/", include("placette.mailing.public_urls")),
    path("espace/conseil/", include("placette.portal.board_urls")),
    path("espace/", include("placette.portal.urls")),
    path("espace/consentements/", include("placette.contacts.portal_urls")),
    path("espace/societariat/", include("placette.membership.portal_urls")),
    path("espace/gouvernance/", include("placette.governance.portal_urls")),
    path("espace/communaute/", include("placette.community.portal_urls")),
    path("espace/communication/", include("placette.mailing.portal_urls")),
    path("comptes/", include("placette.accounts.signin_urls")),
    # Every stored file is read through this one guarded view; MEDIA_ROOT has no URL at all.
    path("documents/", include("placette.lib.urls")),
    path("langue/", lib_views.language_set, name="language_set"),
    # Development mailbox: answers 404 unless DEBUG (placette.lib.devmail).
    path("dev/courriels/", include("placette.lib.devmail_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
