"""The ``nlp`` section: models and batch sizes of the enrichment stage."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from core.config.common import Duration, StrictModel


class Nlp(StrictModel):
    model_fr: str = Field("fr_core_news_sm", description="installed spaCy package for French")
    model_en: str | None = Field(None, description="installed spaCy package for English NER, or none")
    batch_size: int = Field(64, ge=1, le=10_000, description="texts per nlp.pipe batch")
    spool_batch: int = Field(500, ge=1, le=50_000, description="mentions taken from the spool at once")
    neutral_band: float = Field(0.05, ge=0, le=0.5, description="|score| below this is neutral")
    story_threshold: float = Field(0.8, ge=0.3, le=1.0, description="similarity that makes a near-duplicate")
    story_window: Duration = Field(
        timedelta(days=7), description="how far apart in time two near-duplicates may be published"
    )
