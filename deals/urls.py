from django.urls import path

from deals import follows, trust, views
from deals.downloads import deals_csv
from deals.feeds import DealFeed, FollowThroughFeed, ScopeFollowThroughFeed
from deals.follow_through_downloads import follow_through_csv

app_name = "deals"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("ceremonies/", views.CeremonyListView.as_view(), name="ceremony_list"),
    path("ceremonies/<slug:slug>/", views.CeremonyDetailView.as_view(), name="ceremony"),
    path("deals/", views.DealListView.as_view(), name="list"),
    # Before deals/<slug>/, which would otherwise take "csv" for a deal's slug.
    path("deals/csv/", deals_csv, name="csv"),
    path("deals/<slug:slug>/", views.DealDetailView.as_view(), name="detail"),
    path("parties/<slug:slug>/", views.PartyDetailView.as_view(), name="party"),
    path("sectors/<slug:slug>/", views.SectorDetailView.as_view(), name="sector"),
    path("venues/<slug:slug>/", views.VenueDetailView.as_view(), name="venue"),
    path("occasions/<slug:slug>/", views.OccasionDetailView.as_view(), name="occasion"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country"),
    path("feeds/deals/", DealFeed(), name="feed"),
    # The pages a reader checks the record by (deals/trust.py).
    path("about/", trust.AboutView.as_view(), name="about"),
    path("methodology/", trust.MethodologyView.as_view(), name="methodology"),
    path("corrections/", trust.CorrectionsView.as_view(), name="corrections"),
    path("licence/", trust.LicenceView.as_view(), name="licence"),
    # Follow-through: each scorecard as CSV (kind: deals/scopes.py), and Atom feeds of
    # the newest status updates.
    path(
        "ceremonies/<slug:key>/follow-through.csv",
        follow_through_csv,
        {"kind": "ceremony"},
        name="ceremony_follow_through_csv",
    ),
    path(
        "occasions/<slug:key>/follow-through.csv",
        follow_through_csv,
        {"kind": "occasion"},
        name="occasion_follow_through_csv",
    ),
    path(
        "parties/<slug:key>/follow-through.csv",
        follow_through_csv,
        {"kind": "party"},
        name="party_follow_through_csv",
    ),
    path(
        "sectors/<slug:key>/follow-through.csv",
        follow_through_csv,
        {"kind": "sector"},
        name="sector_follow_through_csv",
    ),
    path(
        "countries/<str:key>/follow-through.csv",
        follow_through_csv,
        {"kind": "country"},
        name="country_follow_through_csv",
    ),
    path("feeds/follow-through/", FollowThroughFeed(), name="follow_through_feed"),
    path(
        "ceremonies/<slug:slug>/follow-through/feed/",
        ScopeFollowThroughFeed(kind="ceremony"),
        name="ceremony_follow_through_feed",
    ),
    path(
        "occasions/<slug:slug>/follow-through/feed/",
        ScopeFollowThroughFeed(kind="occasion"),
        name="occasion_follow_through_feed",
    ),
    # Readers' follows by e-mail (deals/follows.py): never cached, never listed.
    path("follow/<str:kind>/<str:key>/", follows.signup, name="follow"),
    path("follows/confirm/<str:token>/", follows.confirm, name="follow_confirm"),
    path("follows/unsubscribe/<str:token>/", follows.unsubscribe, name="follow_unsubscribe"),
]
