"""The admin index as editors read it: the record first, who may sign in under "Access"."""

from django.urls import reverse

INDEX_URL = reverse("admin:index")


def sections(response):
    return [
        (app["name"], [str(model["name"]) for model in app["models"]])
        for app in response.context["app_list"]
    ]


def test_the_record_comes_first_and_sign_in_records_are_grouped_under_access(admin_client):
    names = [name for name, _ in sections(admin_client.get(INDEX_URL))]

    assert names[0] == "Deal records"
    assert names[-1] == "Access"
    assert not {"Auth Token", "Axes", "Authentication and Authorization"} & set(names)
    access = dict(sections(admin_client.get(INDEX_URL)))["Access"]
    assert {
        "Tokens",
        "Users",
        "Groups",
        "Access attempts",
        "Access failures",
        "Access logs",
    } <= set(access)


def test_the_navigation_sidebar_groups_the_same_way(admin_client):
    response = admin_client.get(reverse("admin:deals_deal_changelist"))
    names = [app["name"] for app in response.context["available_apps"]]

    assert names[0] == "Deal records"
    assert names[-1] == "Access"
    page = response.content.decode()
    assert page.index("app-deals") < page.index("app-access")
    assert 'class="app-access module"' in page  # not marked as the current app


def test_an_access_app_keeps_its_own_page(admin_client):
    response = admin_client.get(reverse("admin:app_list", args=["axes"]))

    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["axes"]


def test_an_editor_sees_the_record_first_and_only_access_after_it(editor_client):
    names = [name for name, _ in sections(editor_client.get(INDEX_URL))]

    assert names[0] == "Deal records"
    assert names[1:] in ([], ["Access"])
