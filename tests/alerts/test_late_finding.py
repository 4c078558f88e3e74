"""``LateFinding``: the same finding as an eager one, its words written once and only when read."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

from alerts.episodes import AlertState, Policy, advance
from alerts.rules.base import Finding, LateFinding, Words

T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)
WORDS: Words = ("Velora : 3 mentions", {"matching": 3}, {"term": {"brands": "Velora"}}, 'brands:"Velora"')


def late(calls: list[int], status: str = "firing") -> LateFinding:
    def words() -> Words:
        calls.append(1)
        return WORDS[0], dict(WORDS[1]), WORDS[2], WORDS[3]

    window = {"window_start": T0 - timedelta(hours=1), "window_end": T0}
    return LateFinding("Velora", "Velora", status, words, severity=3.0,  # type: ignore[arg-type]
                       mentions={"m1": T0.isoformat()}, **window)  # fmt: skip


def test_equals_the_eager_finding_and_writes_its_words_once():
    calls: list[int] = []
    finding = late(calls)
    eager = Finding("Velora", "Velora", "firing", WORDS[0], 3.0, T0 - timedelta(hours=1), T0, dict(WORDS[1]),
                    WORDS[2], WORDS[3], {"m1": T0.isoformat()})  # fmt: skip
    assert calls == []
    names = [f.name for f in fields(Finding)]
    assert [getattr(finding, n) for n in names] == [getattr(eager, n) for n in names]
    assert (finding.summary, finding.figures, finding.evidence, finding.kql) == WORDS
    assert calls == [1]


def test_the_episode_logic_does_not_write_the_words():
    calls: list[int] = []
    for status, episodic in (("firing", True), ("normal", True), ("firing", False)):
        finding = late(calls, status)
        state = AlertState(rule="r", key="Velora")
        t = advance(state, finding, T0, Policy(episodic=episodic, realert=timedelta(hours=1)))
        assert t.kind == ("alert" if status == "firing" else None)
    assert calls == []


def test_a_word_can_be_replaced():
    calls: list[int] = []
    finding = late(calls)
    finding.summary = "autre"
    assert finding.summary == "autre" and finding.kql == WORDS[3] and calls == [1]
