import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_wsgi_application()

from samverkan.core.embedded_jobs import embedded_job_runner_start  # noqa: E402 (needs setup)

embedded_job_runner_start()
