"""{{ form|in_site_words|crispy }}: allauth's forms with the site's labels and help texts.

allauth builds its forms itself (log-in, password reset and change are not ours; the sign-up
form only inherits from ours), so its labels are set where its pages render them."""

from django import template

from accounts.forms import allauth_field_words

register = template.Library()


@register.filter
def in_site_words(form):
    words = allauth_field_words()
    # The bound fields: a form sent back with errors has made them already, when validating,
    # with the field's label and help text of that moment.
    for bound_field in form:
        for attribute, value in words.get(bound_field.name, {}).items():
            setattr(bound_field.field, attribute, value)
            setattr(bound_field, attribute, value)
    return form
