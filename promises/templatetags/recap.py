"""The bilan's figures on a page: the pledges-over-time chart (server-drawn SVG)."""

from django import template
from django.utils.safestring import SafeString

from promises.charts import pledges_chart as draw
from promises.figures import Figures

register = template.Library()


@register.simple_tag
def pledges_chart(figures: Figures) -> SafeString:
    """{% pledges_chart figures %}: ids made from the slug, unique on a page of several."""
    return draw(figures, chart_id=f"courbe-{figures.promise.slug}")
