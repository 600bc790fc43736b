import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilar.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after set-up, when the settings are loaded)

if not settings.DEBUG and not settings.SECRET_KEY_IS_SET:
    raise RuntimeError("SECRET_KEY wajib diisi bila DEBUG tidak aktif.")
