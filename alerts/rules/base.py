"""The rule contract: what a rule type declares, what it receives and what it says about a match.

A rule type is a small class registered by name (``alerts.rules.RULE_TYPES``). It declares its
options as a pydantic model (``config_model``, in ``core/config/alerts.py``: required options are
the fields without a default), receives counts from Elasticsearch aggregations through
``AlertQueries`` and returns one ``Finding`` per key (a brand, or a source) saying in words what it
saw. Whether a finding becomes an email (cool-down, escalation, back to normal) is decided by
``alerts.episodes.advance``, the same for every type.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from core.config.alerts import Rule

if TYPE_CHECKING:
    from alerts.queries import AlertQueries

# firing: the condition holds now. elevated: no longer firing but not back to normal yet (stops an
# episode from flapping around the threshold). normal: back to usual. learning: not enough history
# to judge (a new install, a new brand); never fires and never ends an episode.
Status = Literal["firing", "elevated", "normal", "learning"]


@dataclass
class Finding:
    """What one rule saw for one key at one instant, with the figures that justify it."""

    key: str
    brand: str | None
    status: Status
    summary: str  # one French sentence a community manager can act on
    severity: float = 0.0  # grows with the problem; escalation compares it with the last alert's
    window_start: datetime | None = None
    window_end: datetime | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    # The Elasticsearch filter selecting the mentions behind the finding (evidence in the email)
    # and the same selection in Kibana's query language (the Discover link); None = no mentions.
    evidence: dict[str, Any] | None = None
    kql: str | None = None
    # Event rules only: mention id -> published_at (ISO) of every mention currently matching.
    mentions: dict[str, str] = field(default_factory=dict)


# A finding's words: its summary, figures, evidence filter and Kibana query (see ``Finding``).
Words = tuple[str, dict[str, Any], dict[str, Any] | None, str | None]


class LateFinding(Finding):
    """A ``Finding`` whose words (summary, figures, evidence, kql) are written when one is first read.

    The episode logic reads only the status, severity, window and mentions; the words are read for
    what is notified (and by a dry run's listing). A replay judges every rule and key at every step
    and notifies a few times, so it writes them a few times. ``words`` must only read values fixed
    at the time of the check: the words are the same whenever they are written.
    """

    def __init__(
        self,
        key: str,
        brand: str | None,
        status: Status,
        words: Callable[[], Words],
        *,
        severity: float = 0.0,
        window_start: datetime | None = None,
        window_end: datetime | None = None,
        mentions: dict[str, str] | None = None,
    ) -> None:
        self.key, self.brand, self.status, self.severity = key, brand, status, severity
        self.window_start, self.window_end = window_start, window_end
        self.mentions = {} if mentions is None else mentions
        self._write: Callable[[], Words] | None = words
        self._words: list[Any] = []

    def _word(self, index: int) -> Any:
        if self._write is not None:
            self._words, self._write = list(self._write()), None
        return self._words[index]

    def _set(self, index: int, value: Any) -> None:
        self._word(index)
        self._words[index] = value

    @property
    def summary(self) -> str:
        return self._word(0)  # type: ignore[no-any-return]

    @summary.setter
    def summary(self, value: str) -> None:
        self._set(0, value)

    @property
    def figures(self) -> dict[str, Any]:
        return self._word(1)  # type: ignore[no-any-return]

    @figures.setter
    def figures(self, value: dict[str, Any]) -> None:
        self._set(1, value)

    @property
    def evidence(self) -> dict[str, Any] | None:
        return self._word(2)  # type: ignore[no-any-return]

    @evidence.setter
    def evidence(self, value: dict[str, Any] | None) -> None:
        self._set(2, value)

    @property
    def kql(self) -> str | None:
        return self._word(3)  # type: ignore[no-any-return]

    @kql.setter
    def kql(self, value: str | None) -> None:
        self._set(3, value)


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know beyond its own options."""

    brands: tuple[str, ...]  # the brands this rule watches (its ``brands`` or every brand)
    sources: tuple[str, ...]  # names of the enabled sources of config.yaml
    tz: ZoneInfo  # the team's timezone, for dates in summaries
    # Per source, the crawls in a row that fetched pages and found no post (collection state);
    # empty in replays, which see only what the index holds.
    empty_runs: Mapping[str, int] = field(default_factory=dict)


class RuleType(ABC):
    """Base of every rule type.

    Contract for subclasses:
    - ``type_name``: the ``type:`` value in config.yaml; ``config_model``: its options (validated
      at load, unknown keys rejected);
    - ``episodic``: True when a match has a start and an end (spikes, drops, silences): the engine
      then escalates while it grows and sends a "back to normal" notice when it ends. False for
      event rules (keywords, influential authors): each new mention is news, grouped per cool-down;
    - ``evaluate(queries, now)``: read counts through ``queries`` (aggregations only, bounded by
      ``now`` so a replay sees only the past) and return one ``Finding`` per key it watches.
    """

    type_name: ClassVar[str]
    config_model: ClassVar[type]
    episodic: ClassVar[bool] = True
    label: ClassVar[str] = ""  # short French name of the type, for email subjects

    def __init__(self, config: Rule, context: RuleContext) -> None:
        if not isinstance(config, self.config_model):
            raise TypeError(f"{type(self).__name__} needs a {self.config_model.__name__}")
        self.config = config
        self.context = context

    @property
    def name(self) -> str:
        return self.config.name

    @abstractmethod
    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        """One finding per watched key at ``now``."""
