"""Builders shared by the impact tests (through the services, as the views do)."""

import datetime as dt

from django.utils import timezone

from placette.impact import services
from placette.places.tests.helpers import make_activity, make_place


def campaign_with_activity(**fields):
    """A starter framework of this year, a place with one open café, a campaign open from
    today to in a month (not launched)."""
    today = timezone.localdate()
    framework = services.framework_seed(year=today.year, actor=None)
    place = make_place()
    activity = make_activity(place)
    values = {
        "framework": framework,
        "title": "Campagne de l’année",
        "opens_on": today,
        "deadline": today + dt.timedelta(days=30),
        "places": [place],
        "actor": None,
        **fields,
    }
    return services.campaign_create(**values), place, activity
