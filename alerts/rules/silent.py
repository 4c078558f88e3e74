"""``source_silent``: a source that yielded nothing for a while; its scraper may be broken.

Options (``SourceSilentRule``): ``silent_for``, ``sources`` (names; empty = every enabled source),
``empty_runs`` (crawls in a row that fetched pages but found no post, default 2: fires at once,
even for a source that never yielded anything; the counts come from the collection state).
Inputs: the latest ``first_seen_at`` per ``source.name`` (one ``terms`` + ``max`` aggregation).
A source that never yielded anything is not judged here (nothing says when it should have).
A match says: "Source forum-velora : aucune nouvelle mention depuis 30 h (dernière le 19/11 à 08h12)".
"""

from __future__ import annotations

import functools
from datetime import datetime

from alerts import wording
from alerts.queries import AlertQueries
from alerts.rules.base import Finding, LateFinding, RuleType, Status, Words
from core.config.alerts import SourceSilentRule


class SourceSilent(RuleType):
    """One key per source; back to normal as soon as it yields again."""

    type_name = "source_silent"
    config_model = SourceSilentRule
    label = "source muette"
    config: SourceSilentRule

    def watched(self) -> list[str]:
        return list(self.config.sources) or list(self.context.sources)

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        last_seen = queries.sources_last_seen(self.watched(), now)
        findings: list[Finding] = []
        for source, last in sorted(last_seen.items()):
            status: Status
            empty = self.context.empty_runs.get(source, 0)
            if empty >= self.config.empty_runs:
                # Pages fetched, no post read: the site's markup changed under its preset, or
                # the preset never fitted. Says so at once, without waiting for silent_for.
                status = "firing"
                silence = (now - last).total_seconds() / 3600 if last else 0.0
            elif last is None:
                status = "learning"
                silence = 0.0
            else:
                silence = (now - last).total_seconds() / 3600
                status = "firing" if now - last >= self.config.silent_for else "normal"
            words = functools.partial(self._words, source, last, now, empty, silence)
            findings.append(
                LateFinding(source, None, status, words, severity=round(silence, 2),
                            window_start=now - self.config.silent_for, window_end=now)
            )  # fmt: skip
        return findings

    def _words(self, source: str, last: datetime | None, now: datetime, empty: int, silence: float) -> Words:
        """Summary, figures and Kibana query of a source's finding (written when read)."""
        if empty >= self.config.empty_runs:
            summary = (
                f"Source {source} : aucun message trouvé sur {empty} collectes de suite"
                " (le site a peut-être changé ; essayer `veille try URL`)"
            )
        elif last is None:
            summary = f"Source {source} : aucune mention indexée pour l'instant"
        else:
            summary = (
                f"Source {source} : aucune nouvelle mention depuis {wording.age(now - last)} "
                f"(dernière le {wording.local_time(last, self.context.tz)})"
            )
        figures = {
            "last_seen": last.isoformat() if last else None,
            "silent_hours": round(silence, 1),
            "silent_for_hours": self.config.silent_for.total_seconds() / 3600,
            "empty_runs": empty,
        }
        return summary, figures, None, f'source.name:"{source}"'
