import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placette.settings")
application = get_wsgi_application()

# Production is the default without DEBUG=1: refuse to serve on the development key, without
# allowed hosts or without a real mail relay.
from placette.lib.checks import production_refusal  # noqa: E402

if refusal := production_refusal():
    raise RuntimeError(refusal)
