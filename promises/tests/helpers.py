import html
import threading

from django.db import connection
from django.urls import reverse


def page_text(response) -> str:
    """The response body as a reader sees it: entities decoded."""
    return html.unescape(response.content.decode())


def promise_url(name: str, promise) -> str:
    """The address of the promise's page `name` ("pledge", "withdraw"…)."""
    return reverse(f"promises:{name}", args=[promise.slug])


def race(target, args_list) -> list[Exception]:
    """Run target(*args) for every args in one thread each, released together by a barrier."""
    barrier = threading.Barrier(len(args_list))
    errors = []

    def run(*args):
        try:
            barrier.wait(timeout=30)
            target(*args)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
