import os

from django.core.wsgi import get_wsgi_application

# Its own settings, whatever the shell exports for the site.
os.environ["DJANGO_SETTINGS_MODULE"] = "reference.settings"
application = get_wsgi_application()
