import html


def page_text(response) -> str:
    """The response body as a reader sees it: entities decoded."""
    return html.unescape(response.content.decode())
