"""The editor's dashboard on the admin index (see deals.admin.dashboard)."""

from django import template

from deals.admin.dashboard import build_dashboard

register = template.Library()


@register.inclusion_tag("admin/deals/dashboard.html", takes_context=True)
def editor_dashboard(context):
    return {"panels": build_dashboard(context["request"].user)}
