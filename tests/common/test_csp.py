"""The Content-Security-Policy that every page carries."""

import pytest


@pytest.mark.django_db
def test_pages_may_connect_only_to_the_sites_own_origins(client, settings):
    """The page's CSP lets scripts open sockets to this site, not to ws: anywhere."""
    response = client.get("/platforms/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    allowed = policy["connect-src"].split()
    assert "ws:" not in allowed and "wss:" not in allowed
    assert allowed[0] == "'self'"
    assert set(allowed[1:]) == {
        origin.replace("http", "ws", 1) for origin in settings.CSRF_TRUSTED_ORIGINS
    }
