# The portal's production image: gunicorn for the web, the same image runs Celery worker and beat
# (see docker-compose.yml). Settings come from the environment only (.env.example lists them).
FROM python:3.13-slim-bookworm

# PYTHONPATH: the checkout in /app comes before site-packages, so BASE_DIR (templates, static) is
# /app whichever command starts. WEB_CONCURRENCY: gunicorn's worker count (upr_portal/gunicorn_conf.py).
# HOME and XDG_CACHE_HOME: a home the app user may write to, for fontconfig's cache of the fonts
# WeasyPrint lays documents out with (/app, the code, belongs to root).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    WEB_CONCURRENCY=3 \
    HOME=/home/upr \
    XDG_CACHE_HOME=/home/upr/.cache

# WeasyPrint's native libraries, and Liberation fonts (Times New Roman metrics) for page counts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --uid 10001 --home-dir /home/upr --create-home upr \
    && mkdir -p /home/upr/.cache \
    && chown -R upr:upr /home/upr

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY requirements/ requirements/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c requirements/constraints.txt -r /tmp/requirements.txt

COPY . .
# The throwaway key and mail setting only let settings load for collectstatic; they never reach a
# running container. var/media and var/beat are the mount points of the media and beat volumes: a new
# volume takes its owner from them, so the app user can write there.
RUN pip install -c requirements/constraints.txt . \
    && python scripts/messages.py compile \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret DJANGO_EMAIL_HOST=console \
        python manage.py collectstatic --noinput \
    && mkdir -p var/media var/beat \
    && chown -R upr:upr var/media var/beat

USER upr
EXPOSE 8000
CMD ["gunicorn", "-c", "python:upr_portal.gunicorn_conf", "upr_portal.wsgi"]
