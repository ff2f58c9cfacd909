"""Sign-in protection (django-axes): repeated failed admin sign-ins lock the account
from that address; editors unlock it in the admin; API tokens are unaffected."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD
from tests.factories import UserFactory

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def researcher(db):
    return UserFactory(username="researcher", groups=["Contributors"])


def sign_in(client, password, username="researcher"):
    return client.post(LOGIN, {"username": username, "password": password})


def fail_until_locked(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong password")
    return response


def test_the_failure_limit_is_five_and_the_lockout_lasts_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_the_right_password_signs_in_before_the_limit(client, researcher):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong password").status_code == 200
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_five_failed_sign_ins_lock_the_account_even_with_the_right_password(client, researcher):
    fail_until_locked(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="researcher")
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert attempt.ip_address == "127.0.0.1"


def test_the_lockout_is_for_that_account_only(client, researcher):
    UserFactory(username="other")
    fail_until_locked(client)
    response = sign_in(client, PASSWORD, username="other")
    assert response.status_code == 302


def test_sign_in_attempts_are_logged_and_a_success_clears_the_failures(client, researcher):
    sign_in(client, "wrong password")
    assert AccessAttempt.objects.get(username="researcher").failures_since_start == 1
    sign_in(client, PASSWORD)
    assert AccessLog.objects.filter(username="researcher").count() == 1
    assert not AccessAttempt.objects.filter(username="researcher").exists()


def test_an_editor_unlocks_an_account_by_deleting_its_access_attempt(client, researcher, editor):
    fail_until_locked(client)
    attempt = AccessAttempt.objects.get(username="researcher")

    staff = Client()
    staff.force_login(editor)
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "researcher" in listing.content.decode()
    response = staff.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="researcher").exists()

    assert sign_in(client, PASSWORD).status_code == 302


def test_a_contributor_cannot_see_or_delete_access_attempts(contributor_client):
    assert contributor_client.get("/admin/axes/accessattempt/").status_code == 403


def test_api_tokens_still_work_for_a_locked_out_account(client, researcher, token_client):
    fail_until_locked(client)
    response = token_client(researcher).get("/api/v1/deals/?is_published=false")
    assert response.status_code == 200
