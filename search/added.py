"""When each article was first added to the library: kept in the store's `article_added` table and
copied into the index's `added` field at every sync, so `briefing index --rebuild` gives every
article its original time back and "what is new" survives it.

A sync reads the table once, gives each article it writes the time the table holds (an article
seen before keeps its first time: a changed file, or a file removed and added again), and gives a
new one the sync's own time. Rows are written only after the index's commit: a cancelled or
failed sync leaves none, so an article it did not add cannot later look older than it is. After
a commit the table learns every indexed article it lacks, with the time in the index (which also
mends a store that lost a sync's rows to a kill between the two writes).

Times are UTC, ISO 8601 to the microsecond: two syncs within one second still order their
articles, which "added since you last looked" (search/watch.py) compares against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from whoosh import index

from search.store import Store, StoreError, now

FIELD = "added"


def parse_time(text: str) -> dt.datetime:
    """A stored ISO time as whoosh keeps datetimes: naive, in UTC."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def format_time(moment: dt.datetime) -> str:
    """A naive UTC datetime (as the index gives it back) as the store keeps first-added times."""
    return moment.replace(tzinfo=dt.UTC).isoformat(timespec="microseconds")


class FirstAdded:
    """One sync's view of the first-added times: read before it writes, recorded after it commits.

    A store that cannot be used does not stop the sync: the articles it writes are timed now (a
    rebuild then gives them new times) and `messages` says why.
    """

    def __init__(self, store: Callable[[], Store], messages: list[str]) -> None:
        self._store = store
        self._messages = messages
        self._known: dict[str, str] = {}
        self._usable = True
        self.sync_time = now()
        try:
            with self._store().reading("read") as db:
                rows = db.execute("SELECT article_id, added FROM article_added").fetchall()
            self._known = {str(article_id): str(added) for article_id, added in rows}
        except StoreError as e:
            self._usable = False
            self._messages.append(
                f"when articles were first added could not be read ({e}); new articles are "
                "timed now"
            )

    def time_for(self, article_id: str) -> dt.datetime:
        """The article's first-added time for the index (naive UTC): the store's, else now."""
        return parse_time(self._known.get(article_id, self.sync_time))

    def record(self, ix: index.Index) -> None:
        """After the commit: every indexed article the store does not know yet, with its time."""
        if not self._usable:
            return
        with ix.reader() as reader:
            if reader.doc_count() == 0 or FIELD not in ix.schema:
                return
            ids = reader.column_reader("id")
            times = reader.column_reader(FIELD, translate=True)
            missing = [
                (ids[docnum], format_time(times[docnum]))
                for docnum in reader.all_doc_ids()
                if ids[docnum] not in self._known
            ]
        if not missing:
            return
        try:
            with self._store().transaction("saved") as db:
                db.executemany(
                    "INSERT INTO article_added (article_id, added) VALUES (?, ?) "
                    "ON CONFLICT (article_id) DO NOTHING",
                    missing,
                )
        except StoreError as e:
            self._messages.append(
                f"when {len(missing)} articles were first added could not be saved ({e}); a "
                "later sync saves it"
            )
            return
        self._known.update(missing)
