# The portal's production image: gunicorn for the web, the same image runs Celery worker and beat
# (see docker-compose.yml). Settings come from the environment only (.env.example lists them).
FROM python:3.13-slim-bookworm

# PYTHONPATH: the checkout in /app comes before site-packages, so BASE_DIR (templates, static) is
# /app whichever command starts. WEB_CONCURRENCY: gunicorn's worker count.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    WEB_CONCURRENCY=3

# WeasyPrint's native libraries, and Liberation fonts (Times New Roman metrics) for page counts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home upr

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY requirements/ requirements/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c requirements/constraints.txt -r /tmp/requirements.txt

COPY . .
# The throwaway key only lets settings load for collectstatic; it never reaches a running container.
RUN pip install -c requirements/constraints.txt . \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown -R upr:upr var/media

USER upr
EXPOSE 8000
CMD ["gunicorn", "upr_portal.wsgi", "--bind", "0.0.0.0:8000", "--max-requests", "500", \
     "--max-requests-jitter", "50", "--timeout", "60", "--access-logfile", "-", "--no-control-socket"]
