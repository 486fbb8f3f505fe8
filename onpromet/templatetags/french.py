"""{% load french %}: French typography in templates, for every app (pages and emails).

- `{{ day|french_date }}` → 'mardi 1er décembre 2026', in place of `|date:"l j F Y"`, which
  writes 'mardi 1 décembre'. The argument is one of the formats of _STYLES, spelt as the
  `date` filter's format it replaces, so that a template reads the same as before.
- `{{ text|nbsp }}` → the text with French no-break spaces (onpromet.french.french_spacing),
  for text the site generates.
- `{% nbsp %}…{% endnbsp %}` → the same spaces in the template's own words (« Abandonner »,
  "Date limite : …"), put in once when the template is compiled: what variables print between
  them (names, messages, descriptions) is left exactly as its author typed it.
- `{{ n|plural:"personne,personnes" }}` → the form that agrees with n, singular for 0 and 1
  (onpromet.french.plural), in place of `pluralize`, which makes 0 plural.
"""

from django import template
from django.template.base import TextNode
from django.template.defaultfilters import stringfilter

from onpromet.french import french_date as _french_date
from onpromet.french import french_spacing
from onpromet.french import plural as _plural

register = template.Library()

_STYLES = {
    "l j F Y": {},  # mardi 1er décembre 2026
    "j F Y": {"weekday": False},  # 1er décembre 2026
    "l j F": {"year": False},  # mardi 1er décembre
    "j F": {"weekday": False, "year": False},  # 1er décembre
    "j F Y à H:i": {"weekday": False, "time": True},  # 1er décembre 2026 à 14:05
}


@register.filter(expects_localtime=True)
def french_date(value, style: str = "l j F Y") -> str:
    if value in (None, ""):
        return ""
    if style not in _STYLES:
        raise template.TemplateSyntaxError(
            f"french_date: unknown format {style!r}; use one of {', '.join(map(repr, _STYLES))}"
        )
    return _french_date(value, **_STYLES[style])


@register.filter(is_safe=True)
@stringfilter
def nbsp(value: str) -> str:
    return french_spacing(value)


class _SpacedNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return self.nodelist.render(context)


@register.tag("nbsp")
def nbsp_block(parser, token) -> _SpacedNode:
    nodelist = parser.parse(("endnbsp",))
    parser.delete_first_token()
    # Every piece of literal text inside, however deep in {% if %} or {% for %}; variables are
    # other nodes, untouched. Once per compiled template, not once per rendering.
    for node in nodelist.get_nodes_by_type(TextNode):
        node.s = french_spacing(node.s)
    return _SpacedNode(nodelist)


@register.filter
def plural(number, forms: str) -> str:
    """`{{ n|plural:"personne,personnes" }}`, `{{ n|plural:"a,ont" }}`: the singular or the
    plural form, by French agreement (onpromet.french.plural), in place of `pluralize`, which
    writes "0 personnes ont"."""
    singular, _, plural_form = forms.partition(",")
    if not plural_form or "," in plural_form:
        raise template.TemplateSyntaxError(f'plural: give "singular,plural", not {forms!r}')
    return _plural(number, singular, plural_form)
