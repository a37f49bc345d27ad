"""A WSGI application that answers with the scheme gunicorn gave the request (test_gunicorn_conf.py)."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.url_scheme"].encode()]
