"""French full-text search (/promesses/?q=): which promises match a search, in which order,
and the excerpt that shows why. Postgres does the work, on Promise.search_vector (the
sentence, the city and themes, the description: promises/migrations/0010_search.py).

Words are matched on their French stem without accents ("vélo", "velo", "VÉLO"), and as a
prefix of that stem cut short (promise_search_query in the migration): the French stemmer
gives different stems to a word and its derived forms ("nettoyage": nettoyag, "nettoyer":
nettoi; "vélos": velos, "vélo": velo), and a search for one should find the others. The cut
keeps at least five letters, so short words stay themselves and a long one keeps its root;
the price is a few looser matches ("compost" also finds "composer"), which rank below the
exact ones: the rank adds the exact stems' score to the prefixes'.

The visitor's text only ever reaches Postgres as a parameter of websearch_to_tsquery, which
accepts any input ("…", or, -, stray quotes or colons are words or nothing). A search made
only of stop words ("le", "de") is an empty query: it matches nothing, and has_words() says
so to the page."""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "french_unaccent"
# The rank's weights of D, C, B, A (ts_rank_cd's order): the sentence says what the promise
# is; the city and themes place it; the description's words count for little, so that a
# word repeated in a description still ranks below the same word in a sentence.
WEIGHTS = [0.05, 0.1, 0.4, 1.0]
# Around the matched words in ts_headline's output: private-use characters, stripped from
# the text beforehand, so that the excerpt is escaped whole and only these become <mark>.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


class PrefixQuery(SearchQuery):
    """promise_search_query(q): the visitor's websearch with each word a prefix of its stem
    (the migration defines it). A SearchQuery, so that search_vector=… compiles to @@."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.function = "promise_search_query"


def _exact(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=CONFIG)


def matching(promises: QuerySet, q: str) -> QuerySet:
    """The promises that match q (through the GIN index), annotated with their rank."""
    vector = F("search_vector")
    rank = SearchRank(vector, PrefixQuery(q), weights=WEIGHTS, cover_density=True) + SearchRank(
        vector, _exact(q), weights=WEIGHTS, cover_density=True
    )
    return promises.filter(search_vector=PrefixQuery(q)).annotate(rank=rank)


def by_relevance(promises: QuerySet) -> QuerySet:
    """matching()'s promises, most relevant first, then the newest."""
    return promises.order_by("-rank", "-created_at", "-pk")


def with_headline(promises: QuerySet, q: str) -> QuerySet:
    """Annotate `headline`: up to 35 words of the description around the words found, marked
    between START and STOP (its first words when it has none of them: the card's sentence
    shows them). For a page's rows only: Postgres computes it after the LIMIT."""
    description = Func(F("description"), Value(START + STOP), Value(""), function="translate")
    headline = SearchHeadline(
        description,
        PrefixQuery(q),
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=25,
    )
    return promises.annotate(headline=headline)


def excerpt_html(headline: str) -> SafeString:
    """The headline as HTML: all of it escaped, then the matched words in <mark>."""
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(headline)))
    return mark_safe(marked.replace(START, "").replace(STOP, ""))  # noqa: S308  # nosec B308 B703 (escaped above)


def has_words(q: str) -> bool:
    """Whether q leaves anything to search once stop words and punctuation are gone (asked
    only when a search found nothing, to say why)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(promise_search_query(%s)) > 0", [q])
        return cursor.fetchone()[0]
