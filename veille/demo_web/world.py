"""The demo web's content, built once per server from a seed and the start time.

Everything is deterministic for a given seed; timestamps are "so many hours before the server
started", so the story (three weeks of talk, a bad buzz in the last two hours) is always current.
The world is mutable only through ``add_burst`` and ``edit_post`` (the demo's control endpoints).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from veille.demo_web import catalog, texts

# Tone mixes: (weight, bank, language) drawn for each post of a thread or comment of an article.
BANKS: dict[str, list[str]] = {
    "velora_praise": texts.VELORA_PRAISE_FR,
    "velora_neutral": texts.VELORA_NEUTRAL_FR,
    "velora_complaint": texts.VELORA_COMPLAINT_FR,
    "velora_en": texts.VELORA_EN,
    "velora_burst": texts.VELORA_BURST_FR,
    "velora_burst_en": texts.VELORA_BURST_EN,
    "lantier_praise": texts.LANTIER_PRAISE_FR,
    "lantier_neutral": texts.LANTIER_NEUTRAL_FR,
    "lantier_complaint": texts.LANTIER_COMPLAINT_FR,
    "lantier_en": texts.LANTIER_EN,
    "offtopic": texts.OFFTOPIC_FR,
    "false_beach": [texts.FALSE_FRIENDS[0]],
    "false_zola": [texts.FALSE_FRIENDS[1]],
    "false_velorama": [texts.FALSE_FRIENDS[2]],
    "false_lib": [texts.FALSE_FRIENDS[3]],
    "false_freedom": [texts.FALSE_FRIENDS[5]],
}
MIXES: dict[str, list[tuple[int, str]]] = {
    "velora_mix": [(4, "velora_praise"), (4, "velora_neutral"), (3, "velora_complaint"), (1, "velora_en"),
                   (3, "offtopic")],
    "velora_sour": [(1, "velora_praise"), (2, "velora_neutral"), (5, "velora_complaint"), (2, "offtopic")],
    "velora_burst": [(8, "velora_burst"), (1, "velora_burst_en")],
    "lantier_mix": [(4, "lantier_praise"), (3, "lantier_neutral"), (2, "lantier_complaint"), (1, "lantier_en"),
                    (2, "offtopic")],
}  # fmt: skip
STARS = {"velora_praise": 5, "lantier_praise": 5, "velora_en": 4, "lantier_en": 4, "velora_neutral": 3,
         "lantier_neutral": 3, "offtopic": 3, "velora_complaint": 2, "lantier_complaint": 2,
         "velora_burst": 1, "velora_burst_en": 1}  # fmt: skip


@dataclass
class Post:
    id: int
    author: str
    author_posts: int
    at: datetime
    subject: str
    text: str
    edited_at: datetime | None = None


@dataclass
class Thread:
    id: int
    forum_id: int
    title: str
    posts: list[Post] = field(default_factory=list)
    trap: str | None = None
    views: int = 0


@dataclass
class Forum:
    id: int
    title: str
    description: str
    threads: list[Thread] = field(default_factory=list)


@dataclass
class Comment:
    id: int
    author: str
    at: datetime
    text: str
    parent: int | None = None


@dataclass
class Article:
    id: int
    slug: str
    title: str
    author: str
    at: datetime
    body: tuple[str, ...]
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Review:
    id: int
    author: str
    at: datetime
    rating: int
    title: str
    text: str


@dataclass
class Product:
    slug: str
    name: str
    brand: str
    category: str
    microdata: bool
    reviews: list[Review] = field(default_factory=list)


@dataclass
class NewsItem:
    id: int
    slug: str
    title: str
    section: str
    at: datetime
    summary: str
    author: str


class World:
    """All the demo sites' content, plus a lock: the server's threads read it concurrently."""

    def __init__(self, seed: int = 7, now: datetime | None = None) -> None:
        self.seed = seed
        self.started = (now or datetime.now(UTC)).replace(microsecond=0)
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.version = 0  # bumped by every change, part of the feeds' ETag
        self._next_id = {"post": 100, "comment": 40, "review": 10, "news": 1}
        self.forums = [self._forum(plan) for plan in catalog.FORUMS]
        self.forums.append(self._archives())
        self.forums.append(self._private())
        self.articles = [self._article(i, plan) for i, plan in enumerate(catalog.ARTICLES, start=1)]
        self.products = [self._product(plan) for plan in catalog.PRODUCTS]
        self.news = [self._news(plan) for plan in catalog.NEWS]
        self.threads = {t.id: t for f in self.forums for t in f.threads}
        self.posts = {p.id: (t, p) for t in self.threads.values() for p in t.posts}

    # -- building ------------------------------------------------------------------------------
    def _id(self, kind: str) -> int:
        self._next_id[kind] += 1
        return self._next_id[kind]

    def ago(self, hours: float) -> datetime:
        return self.started - timedelta(hours=hours)

    def say(self, mix: str) -> tuple[str, str]:
        """A sentence (or two) in the given tone mix; returns (bank name, text)."""
        if mix in MIXES:
            weights, banks = zip(*MIXES[mix], strict=True)
            bank = self.rng.choices(banks, weights=weights)[0]
        else:
            bank = mix
        sentence = self.rng.choice(BANKS[bank])
        text = sentence.format(
            city=self.rng.choice(texts.CITIES),
            n=self.rng.choice([3, 5, 8, 12, 300, 450, 800, 940]),
            amount=self.rng.choice(["24,99", "29,99", "39,99", "49,99"]),
            competitor=self.rng.choice(texts.VELORA_COMPETITORS),
            days=self.rng.choice([10, 15, 30, 45]),
        )
        if "burst" in bank or self.rng.random() < 0.7:
            return bank, text
        follow_ups = texts.PRAISE_FOLLOW_UPS if bank.endswith("_praise") else texts.FOLLOW_UPS
        return bank, f"{text}\n\n{self.rng.choice(follow_ups)}"

    def _times(self, start: float, end: float, count: int) -> list[datetime]:
        hours = sorted((self.rng.uniform(end, start) for _ in range(count - 1)), reverse=True)
        return [self.ago(h) for h in [start, *hours]]

    def _forum(self, plan: catalog.ForumPlan) -> Forum:
        forum = Forum(plan.id, plan.title, plan.description)
        for index, tp in enumerate(plan.threads):
            thread = Thread(plan.id * 100 + index + 1, plan.id, tp.title, views=self.rng.randint(40, 4000))
            for n, at in enumerate(self._times(tp.start, tp.end, tp.posts)):
                _, text = self.say(tp.first if n == 0 else tp.replies)
                subject = tp.title if n == 0 else self.rng.choice(texts.REPLY_OPENERS) + tp.title
                thread.posts.append(self._post(at, subject, text))
            forum.threads.append(thread)
        return forum

    def _post(self, at: datetime, subject: str, text: str) -> Post:
        author = self.rng.choice(texts.FORUM_AUTHORS)
        posts = 20 + (sum(map(ord, author)) * 37) % 4000  # stable per author: influence is a trait
        return Post(self._id("post"), author, posts, at, subject, text)

    def _archives(self) -> Forum:
        forum = Forum(catalog.ARCHIVE_FORUM, "Archives", "Anciens sujets importés de l'ancien forum")
        for thread_id, (title, trap) in catalog.TRAP_THREADS.items():
            thread = Thread(thread_id, forum.id, title, trap=trap, views=self.rng.randint(10, 900))
            if trap == "cp1252":
                texts_ = [
                    "Velora m’a facturé 29,99 € au lieu de 24,99 € : l’œil du SAV n’a rien vu. "
                    "Réclamation envoyée « en recommandé ».",
                    "Même souci chez moi avec Velora, remboursé après 3 semaines. Cœur sur le conseiller.",
                ]
                for n, (at, text) in enumerate(zip(self._times(19 * 24, 18 * 24, 2), texts_, strict=True)):
                    thread.posts.append(self._post(at, title if n == 0 else "Re: " + title, text))
            else:
                thread.posts.append(self._post(self.ago(20 * 24), title, "Sujet archivé."))
            forum.threads.append(thread)
        return forum

    def _private(self) -> Forum:
        forum = Forum(catalog.PRIVATE_FORUM, "Modération", "Réservé à l'équipe (interdit aux robots)")
        thread = Thread(catalog.PRIVATE_FORUM * 100 + 1, forum.id, "Signalements : messages sur Velora")
        thread.posts.append(
            self._post(self.ago(30), thread.title, "Trois messages sur Velora signalés ce matin.")
        )
        forum.threads.append(thread)
        return forum

    def _article(self, article_id: int, plan: catalog.ArticlePlan) -> Article:
        article = Article(article_id, plan.slug, plan.title, plan.author, self.ago(plan.age), plan.body)
        end = max(plan.age / 20, 0.05)
        for at in self._times(plan.age * 0.95, end, plan.count):
            _, text = self.say(plan.comments)
            parent = None
            if article.comments and self.rng.random() < 0.25:
                parent = self.rng.choice(article.comments).id
            article.comments.append(
                Comment(self._id("comment"), self.rng.choice(texts.BLOG_AUTHORS), at, text, parent)
            )
        return article

    def _product(self, plan: catalog.ProductPlan) -> Product:
        product = Product(plan.slug, plan.name, plan.brand, plan.category, plan.microdata)
        for mix, count, oldest in plan.reviews:
            for at in self._times(oldest, min(oldest / 20, 0.1), count):
                bank, text = self.say(mix)
                stars = STARS.get(bank, 3)
                stars = max(1, min(5, stars + (self.rng.choice([-1, 0, 0, 1]) if stars not in (1, 5) else 0)))
                title = text.split(".")[0][:60]
                product.reviews.append(
                    Review(self._id("review"), self.rng.choice(texts.REVIEW_AUTHORS), at, stars, title, text)
                )
        product.reviews.sort(key=lambda r: r.at, reverse=True)
        return product

    def _news(self, plan: catalog.NewsPlan) -> NewsItem:
        return NewsItem(
            self._id("news"),
            plan.slug,
            plan.title,
            plan.section,
            self.ago(plan.age),
            plan.summary,
            plan.author,
        )

    # -- the demo's control endpoints -----------------------------------------------------------
    def add_burst(self, count: int, brand: str = "Velora", forum: bool = False) -> list[NewsItem]:
        """Publish ``count`` fresh negative items now (news feed; the forum's burst thread too)."""
        now = datetime.now(UTC).replace(microsecond=0)
        added: list[NewsItem] = []
        with self.lock:
            for _ in range(count):
                item_id = self._id("news")
                sentence = self.rng.choice(
                    texts.VELORA_BURST_FR if brand == "Velora" else texts.LANTIER_BURST_FR
                )
                text = sentence.format(
                    city=self.rng.choice(texts.CITIES), amount="29,99", competitor="Orbitel", n=3, days=10
                )
                title = f"{brand} : nouveaux signalements ({item_id})"
                item = NewsItem(item_id, f"alerte-{item_id}", title, "tech", now, text, "Fil d'alerte")
                self.news.append(item)
                added.append(item)
                if forum:
                    thread = next(t for t in self.threads.values() if t.title.startswith("[URGENT]"))
                    post = self._post(now, "Re: " + thread.title, text)
                    thread.posts.append(post)
                    self.posts[post.id] = (thread, post)
            self.version += 1
        return added

    def edit_post(self, post_id: int, text: str) -> Post:
        with self.lock:
            _, post = self.posts[post_id]
            post.text = text
            post.edited_at = datetime.now(UTC).replace(microsecond=0)
            self.version += 1
        return post

    def visible_forums(self) -> list[Forum]:
        return [f for f in self.forums if f.id != catalog.PRIVATE_FORUM]
