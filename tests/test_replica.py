"""Anonymous readers' requests read from the replica; writes, signed-in users and
everything outside a request use the primary (dealtracker/routers.py).

The "replica" alias of tests/settings.py is Django's test mirror: a second connection
to the test database. It sees only committed rows, so these tests commit
(transaction=True); serialized_rollback brings back the migrations' sectors and staff
groups after each. Each test counts the queries on both connections.
"""

from contextlib import contextmanager
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext

from deals.models import Ceremony, Deal, FigureRow, StaleDeal
from dealtracker.routers import PrimaryReplicaRouter, replica_reads
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture(autouse=True)
def replica_router(settings):
    """As dealtracker/settings.py does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["dealtracker.routers.PrimaryReplicaRouter"]


@contextmanager
def queries_by_database():
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield SimpleNamespace(primary=primary, replica=replica)


def statements(captured, verb):
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(verb)]


# --- anonymous readers: the replica -------------------------------------------------


@pytest.mark.parametrize("url", ["/deals/", "/api/v1/deals/", "/ceremonies/great-hall-signings/"])
def test_an_anonymous_read_is_answered_from_the_replica_alone(client, api_record, url):
    FigureRow.objects.current()  # kept figures made, as by the first reader after writes
    with queries_by_database() as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert "JD.com food purchases" in response.content.decode()  # the mirror has the rows
    assert statements(queries.replica, "SELECT")
    assert queries.primary.captured_queries == []


def test_the_first_reader_after_an_edit_makes_the_kept_figures_on_the_primary(client, api_record):
    with queries_by_database() as queries:
        response = client.get("/ceremonies/great-hall-signings/")

    assert response.status_code == 200
    assert statements(queries.primary, "INSERT")  # the rows of the marked deals
    assert statements(queries.replica, "SELECT")
    assert not StaleDeal.objects.exists()


def test_the_csv_download_streams_from_the_replica(client, api_record):
    with queries_by_database() as queries:
        response = client.get("/deals/csv/")
        body = b"".join(response.streaming_content).decode("utf-8-sig")

    assert response.status_code == 200
    assert "JD.com food purchases" in body
    assert statements(queries.replica, "SELECT")
    assert queries.primary.captured_queries == []


# --- signed-in users, writes and everything outside a request: the primary ----------


@pytest.mark.parametrize("url", ["/admin/deals/deal/", "/deals/"])
def test_a_signed_in_editor_reads_from_the_primary_alone(editor_client, api_record, url):
    with queries_by_database() as queries:
        response = editor_client.get(url)

    assert response.status_code == 200
    assert "JD.com food purchases" in response.content.decode()
    assert statements(queries.primary, "SELECT")
    assert queries.replica.captured_queries == []


def test_an_api_client_with_a_token_reads_from_the_primary_alone(token_client, editor, api_record):
    client = token_client(editor)

    with queries_by_database() as queries:
        response = client.get("/api/v1/deals/")

    assert response.status_code == 200
    assert response.json()["count"] == 5  # four published deals and the editor's draft
    assert statements(queries.primary, "SELECT")
    assert queries.replica.captured_queries == []


def test_an_api_write_reads_and_writes_the_primary_alone(token_client, editor, api_record):
    client = token_client(editor)
    data = {
        "name": "Fair signings",
        "slug": "fair-2019",
        "date": "2019-11-05",
        "venue": "great-hall",
    }

    with queries_by_database() as queries:
        response = client.post("/api/v1/ceremonies/", data, format="json")

    assert response.status_code == 201, response.content
    assert Ceremony.objects.filter(slug="fair-2019").exists()
    assert statements(queries.primary, "INSERT")
    assert queries.replica.captured_queries == []


def test_a_sign_in_an_anonymous_post_uses_the_primary_alone(client, editor):
    with queries_by_database() as queries:
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}
        )

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert statements(queries.primary, "SELECT")
    assert queries.replica.captured_queries == []


def test_a_management_command_and_the_shell_use_the_primary_alone(api_record, tmp_path):
    with queries_by_database() as queries:
        call_command("export_dataset", str(tmp_path), stdout=StringIO())
        published = Deal.objects.published().count()

    assert (tmp_path / "dataset.json").exists()
    assert published == 4
    assert statements(queries.primary, "SELECT")
    assert queries.replica.captured_queries == []


def test_without_a_replica_configured_an_anonymous_read_uses_the_one_database(
    client, api_record, settings
):
    settings.DATABASE_ROUTERS = []

    with queries_by_database() as queries:
        response = client.get("/deals/")

    assert response.status_code == 200
    assert statements(queries.primary, "SELECT")
    assert queries.replica.captured_queries == []


# --- the router itself --------------------------------------------------------------


def test_the_router_writes_and_migrates_only_on_the_primary():
    router = PrimaryReplicaRouter()

    with replica_reads():
        read_in_a_public_request = router.db_for_read(Deal)
        write_in_a_public_request = router.db_for_write(Deal)

    assert read_in_a_public_request == "replica"
    assert write_in_a_public_request == "default"
    assert router.db_for_read(Deal) == "default"
    assert router.allow_migrate("default", "deals") is True
    assert router.allow_migrate("replica", "deals") is False


def test_rows_read_from_either_database_may_be_related(api_record):
    router = PrimaryReplicaRouter()
    from_replica = Deal.objects.using("replica").get(slug="jd-food")
    ceremony = Ceremony.objects.using("default").get(slug="great-hall-signings")

    assert router.allow_relation(from_replica, ceremony) is True
    from_replica.ceremony = ceremony  # refused by Django if the router said no
    assert from_replica.ceremony_id == ceremony.id
