"""The client address django-axes locks sign-ins by, when the site runs behind a proxy."""


def client_ip(request):
    """The address the proxy saw: the last X-Forwarded-For entry, which the proxy itself
    added, so a client cannot pick its own address with a made-up header."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    return addresses[-1] if addresses else request.META.get("REMOTE_ADDR")
