"""The one exception every app's services raise to refuse an action."""


class Refusal(Exception):
    """An action that the state of things does not allow. Its message is French and meant for
    the user: it is written once, where the rule is, and views show it as it is."""
