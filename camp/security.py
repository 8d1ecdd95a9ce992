"""Who is knocking: the client's address, for the login lockout.

Behind a reverse proxy every request arrives from the proxy's own address, so a lock "per user
and address" would become a lock per user alone, and anyone could lock a colleague out. With
`DJANGO_TRUSTED_PROXY_COUNT=N` the address is the Nth entry from the right of X-Forwarded-For:
each trusted proxy appends the address it received the request from, so entries to the right of
the client's own cannot be forged by the client.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # Not the path through the proxies we were told of: trust only the socket.
        return remote
    return forwarded[-count]
