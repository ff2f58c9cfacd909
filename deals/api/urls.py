"""/api/v1/: one route per resource, list and detail by numeric id."""

from rest_framework import routers

from deals.api import views


class Router(routers.DefaultRouter):
    # One address per resource: no ".json" twins.
    include_format_suffixes = False


router = Router()
router.register("deals", views.DealViewSet, basename="deal")
router.register("ceremonies", views.CeremonyViewSet, basename="ceremony")
router.register("occasions", views.OccasionViewSet, basename="occasion")
router.register("venues", views.VenueViewSet, basename="venue")
router.register("parties", views.PartyViewSet, basename="party")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("countries", views.CountryViewSet, basename="country")

app_name = "api"
urlpatterns = router.urls
