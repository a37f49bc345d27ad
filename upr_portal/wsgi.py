import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upr_portal.settings")

application = get_wsgi_application()

# The URLs import every view and what they use; what is loaded now lives as long as the process.
# Frozen, the garbage collector no longer walks those objects at each full collection (about 100 ms
# each, one every 50 requests or so at the size of a national coalition).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
