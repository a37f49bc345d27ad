"""The Redis cache backend (upr_portal/cache.py): Django's, with one client per connection pool."""

from django.core.cache.backends.redis import RedisCacheClient

from upr_portal.cache import RedisCache


def test_one_client_serves_every_operation_of_a_pool():
    # Building clients connects to nothing: no Redis is needed to see which client serves what.
    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache

    assert isinstance(client, RedisCacheClient)
    assert client.get_client("a") is client.get_client("b", write=True)
    assert client.get_client("a").connection_pool is client._get_connection_pool(write=False)


def test_django_builds_a_client_per_operation_which_this_backend_avoids():
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    django_client = DjangoRedisCache("redis://127.0.0.1:6379/15", {})._cache

    assert django_client.get_client("a") is not django_client.get_client("a")
