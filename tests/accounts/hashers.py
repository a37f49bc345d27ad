"""A password hasher that counts its work, to prove which sign-in attempts reach it."""

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingPasswordHasher(MD5PasswordHasher):
    """The tests' MD5 hasher (same algorithm name, so it checks the factories' passwords), counting each
    password it hashes: setting one, checking one, and the dummy hash Django runs for an unknown user."""

    hashed = 0

    def encode(self, password, salt):
        CountingPasswordHasher.hashed += 1
        return super().encode(password, salt)
