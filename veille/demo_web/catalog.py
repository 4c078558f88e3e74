"""The demo web's editorial plan: forums and their threads, blog articles, products, news items.

Ages are in hours before the server started; ``bank`` names a tone mix from ``texts``. The
world builder (``world.py``) turns this plan into posts with authors, texts and timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 24.0


@dataclass(frozen=True)
class ThreadPlan:
    title: str
    first: str  # bank of the opening post
    replies: str  # tone mix of the replies
    posts: int
    start: float  # hours ago
    end: float  # hours ago (last reply)
    lang: str = "fr"


@dataclass(frozen=True)
class ForumPlan:
    id: int
    title: str
    description: str
    threads: tuple[ThreadPlan, ...]


FORUMS = (
    ForumPlan(
        1,
        "Box & Fibre",
        "Box internet, fibre, ADSL : installation, pannes, débits",
        (
            ThreadPlan(
                "Fibre Velora à Lyon : vos retours d'expérience",
                "velora_praise",
                "velora_mix",
                26,
                20 * DAY,
                30,
            ),
            ThreadPlan("VeloBox Pro ou box Orbitel ?", "velora_neutral", "velora_mix", 12, 17 * DAY, 5 * DAY),
            ThreadPlan(
                "Coupures de la fibre Velora le soir",
                "velora_complaint",
                "velora_sour",
                11,
                14 * DAY,
                3 * DAY,
            ),
            ThreadPlan(
                "Wifi faible avec la box Velora", "velora_complaint", "velora_mix", 8, 12 * DAY, 2 * DAY
            ),
            ThreadPlan("Offre fibre Velora à 24,99 €", "velora_neutral", "velora_mix", 7, 6 * DAY, 20),
            ThreadPlan("Routeur mesh conseillé ?", "offtopic", "offtopic", 5, 9 * DAY, 8 * DAY),
            ThreadPlan("Débit ADSL qui chute le soir", "offtopic", "offtopic", 4, 16 * DAY, 15 * DAY),
            ThreadPlan(
                "Velora customer service in English?", "velora_en", "velora_en", 6, 11 * DAY, 4 * DAY, "en"
            ),
            ThreadPlan("[URGENT] VeloBox en panne ce soir ?", "velora_burst", "velora_burst", 14, 1.9, 0.05),
            ThreadPlan(
                "SAV Velora injoignable + facture en double", "velora_burst", "velora_burst", 8, 1.7, 0.15
            ),
            ThreadPlan(
                "Changer de box : Velora ou Orbitel ?", "velora_neutral", "velora_mix", 6, 8 * DAY, 7 * DAY
            ),
        ),
    ),
    ForumPlan(
        2,
        "Téléphonie mobile",
        "Forfaits, réseaux, smartphones",
        (
            ThreadPlan(
                "Forfait Velora 100 Go : bon plan ?", "velora_neutral", "velora_mix", 9, 19 * DAY, 6 * DAY
            ),
            ThreadPlan("Réseau Velora à la campagne", "velora_complaint", "velora_mix", 6, 13 * DAY, 9 * DAY),
            ThreadPlan(
                "Nexa Mobile ou Velora pour un ado ?", "velora_neutral", "velora_mix", 5, 5 * DAY, 2 * DAY
            ),
            ThreadPlan(
                "Forfait sans engagement, que choisir ?", "offtopic", "offtopic", 4, 10 * DAY, 9 * DAY
            ),
        ),
    ),
    ForumPlan(
        3,
        "Café, thé & gourmandises",
        "Parce qu'on ne vit pas que de fibre optique",
        (
            ThreadPlan(
                "Cafés Lantier Grand Cru, votre avis ?", "lantier_praise", "lantier_mix", 13, 21 * DAY, 10
            ),
            ThreadPlan(
                "Capsules Lantier compostables", "lantier_neutral", "lantier_mix", 8, 15 * DAY, 4 * DAY
            ),
            ThreadPlan(
                "Commande Cafés Lantier en retard", "lantier_complaint", "lantier_mix", 5, 7 * DAY, 6 * DAY
            ),
            ThreadPlan("Quelle machine à expresso ?", "offtopic", "offtopic", 6, 18 * DAY, 12 * DAY),
            ThreadPlan(
                "Lantier Grand Cru vs Torréfaction Duval",
                "lantier_en",
                "lantier_mix",
                5,
                4 * DAY,
                1 * DAY,
                "en",
            ),
        ),
    ),
    ForumPlan(
        4,
        "Discussions générales",
        "Tout le reste",
        (
            ThreadPlan(
                "Vacances : hôtel Velora Beach à Biarritz ?", "false_beach", "offtopic", 4, 9 * DAY, 8 * DAY
            ),
            ThreadPlan("Relire Germinal cet hiver", "false_zola", "offtopic", 3, 6 * DAY, 5 * DAY),
            ThreadPlan("Soldes chez Velorama", "false_velorama", "offtopic", 3, 3 * DAY, 2 * DAY),
            ThreadPlan("Lib JS pour graphes de latence", "false_lib", "offtopic", 3, 12 * DAY, 11 * DAY),
            ThreadPlan("Freedom and moderation", "false_freedom", "offtopic", 2, 2 * DAY, 1 * DAY, "en"),
        ),
    ),
)

# Trap threads listed in the "Archives" forum: each misbehaves in its own way (see traps.py).
ARCHIVE_FORUM = 5
TRAP_THREADS = {
    901: ("[Archive] Velora : facture à 29,99 € et débits (ancien forum)", "cp1252"),
    902: ("[Archive] Logs de synchro VeloBox (très long)", "large"),
    903: ("[Archive] Comparatif des débits 2019", "slow"),
    904: ("Sujet déplacé : panne Velora du printemps", "loop"),
    905: ("Sujet déplacé vers le nouveau forum", "offsite"),
    906: ("Sujet supprimé par la modération", "gone"),
    907: ("Statistiques du forum", "error"),
}
PRIVATE_FORUM = 6  # disallowed by robots.txt: a polite crawler never reads it


@dataclass(frozen=True)
class ArticlePlan:
    slug: str
    title: str
    author: str
    age: float  # hours
    body: tuple[str, ...]
    comments: str  # tone mix
    count: int


ARTICLES = (
    ArticlePlan(
        "test-velobox-pro",
        "Test de la VeloBox Pro : la box Velora qui veut tout faire",
        "Sophie",
        15 * DAY,
        (
            "Velora renouvelle sa box haut de gamme. La VeloBox Pro embarque le wifi 6E, un port 10 Gb/s et un "
            "disque de 1 To pour enregistrer la télévision.",
            "Après deux semaines d'utilisation, le débit est au rendez-vous et l'interface a été revue de fond en "
            "comble. On regrette seulement le bruit du ventilateur et le prix de la location.",
        ),
        "velora_mix",
        10,
    ),
    ArticlePlan(
        "comparatif-fibre-velora-orbitel-nexa",
        "Fibre : Velora, Orbitel ou Nexa, qui est le plus rapide ?",
        "Thomas L.",
        10 * DAY,
        (
            "Nous avons mesuré les débits de trois opérateurs dans six villes pendant un mois.",
            "Velora arrive en tête en débit descendant, Orbitel offre la meilleure latence, Nexa le meilleur prix.",
        ),
        "velora_mix",
        8,
    ),
    ArticlePlan(
        "visite-brulerie-cafes-lantier",
        "Visite : dans la brûlerie des Cafés Lantier",
        "Nadia",
        12 * DAY,
        (
            "Maison familiale fondée en 1952, Cafés Lantier torréfie encore ses grains dans un four à tambour.",
            "Nous avons goûté le Lantier Grand Cru à la sortie du torréfacteur : rond, chocolaté, sans amertume.",
        ),
        "lantier_mix",
        7,
    ),
    ArticlePlan(
        "cafes-preferes-automne",
        "Nos 5 cafés préférés pour l'automne",
        "Camille",
        6 * DAY,
        (
            "Pour les matins frais, on a sélectionné cinq cafés en grains de torréfacteurs français.",
            "Mention spéciale au Lantier Grand Cru et au moka de Torréfaction Duval.",
        ),
        "lantier_mix",
        5,
    ),
    ArticlePlan(
        "routeurs-mesh-selection",
        "Routeurs mesh : notre sélection",
        "Thomas L.",
        4 * DAY,
        (
            "Un seul routeur ne suffit plus pour couvrir une maison sur deux étages.",
            "Voici les modèles que nous avons testés, du plus abordable au plus complet.",
        ),
        "offtopic",
        4,
    ),
    ArticlePlan(
        "velora-hausse-prix",
        "Velora augmente ses prix : ce qui change pour vous",
        "Sophie",
        3 * DAY,
        (
            "À partir du mois prochain, les abonnés fibre de Velora paieront 2 € de plus par mois.",
            "L'opérateur justifie la hausse par le déploiement de la VeloBox Pro et du wifi 6E.",
        ),
        "velora_sour",
        6,
    ),
    ArticlePlan(
        "panne-velora-ce-que-l-on-sait",
        "Panne chez Velora : ce que l'on sait",
        "Thomas L.",
        1.5,
        (
            "Depuis la fin d'après-midi, de nombreux abonnés Velora signalent une panne de leur VeloBox.",
            "L'opérateur n'a pas encore communiqué. Nous mettrons cet article à jour dès que possible.",
        ),
        "velora_burst",
        8,
    ),
)


@dataclass(frozen=True)
class ProductPlan:
    slug: str
    name: str
    brand: str
    category: str
    reviews: tuple[tuple[str, int, float], ...]  # (tone mix, count, oldest age in hours)
    microdata: bool = False


PRODUCTS = (
    ProductPlan(
        "velobox-pro",
        "VeloBox Pro",
        "Velora",
        "box-internet",
        (("velora_mix", 9, 20 * DAY), ("velora_burst", 6, 1.8)),
    ),
    ProductPlan("velora-fibre-1g", "Fibre 1 Gb/s", "Velora", "box-internet", (("velora_mix", 8, 19 * DAY),)),
    ProductPlan("orbitel-box-max", "Box Max", "Orbitel", "box-internet", (("offtopic", 4, 15 * DAY),)),
    ProductPlan(
        "lantier-grand-cru",
        "Grand Cru 1 kg",
        "Cafés Lantier",
        "cafe",
        (("lantier_mix", 8, 21 * DAY),),
        microdata=True,
    ),
    ProductPlan(
        "capsules-lantier",
        "Capsules compostables x50",
        "Cafés Lantier",
        "cafe",
        (("lantier_mix", 5, 14 * DAY),),
    ),
)
CATEGORIES = {"box-internet": "Box internet & fibre", "cafe": "Café"}


@dataclass(frozen=True)
class NewsPlan:
    slug: str
    title: str
    section: str  # "tech" | "eco"
    age: float
    summary: str
    author: str = "La rédaction"


NEWS = (
    NewsPlan(
        "velora-nouvelle-velobox-pro",
        "Velora lance la VeloBox Pro avec le wifi 6E",
        "tech",
        19 * DAY,
        "L'opérateur Velora dévoile sa nouvelle box haut de gamme, louée 10 € de plus que la précédente.",
    ),
    NewsPlan(
        "lantier-nouvelle-brulerie",
        "Cafés Lantier ouvre une deuxième brûlerie près de Nantes",
        "eco",
        17 * DAY,
        "La maison Cafés Lantier investit 4 millions d'euros et crée trente emplois.",
    ),
    NewsPlan(
        "orbitel-resultats",
        "Orbitel gagne 120 000 abonnés fibre au troisième trimestre",
        "eco",
        15 * DAY,
        "Le concurrent de Velora profite de la baisse de ses prix d'entrée de gamme.",
    ),
    NewsPlan(
        "velora-resultats-trimestriels",
        "Velora : chiffre d'affaires en hausse de 4 %",
        "eco",
        13 * DAY,
        "Porté par la fibre, Velora affiche une croissance solide mais des marges sous pression.",
    ),
    NewsPlan(
        "prix-du-cafe",
        "Le prix du café vert au plus haut depuis dix ans",
        "eco",
        11 * DAY,
        "Les torréfacteurs, dont Cafés Lantier et Torréfaction Duval, répercutent la hausse.",
    ),
    NewsPlan(
        "velora-fibre-village",
        "La fibre Velora arrive dans 300 communes rurales",
        "tech",
        9 * DAY,
        "Velora accélère le déploiement de la fibre hors des grandes villes.",
    ),
    NewsPlan(
        "nexa-mobile-forfait",
        "Nexa Mobile casse les prix du forfait 100 Go",
        "tech",
        7 * DAY,
        "Nexa Mobile attaque Velora et Orbitel sur le segment des gros forfaits.",
    ),
    NewsPlan(
        "velora-hausse-tarifs",
        "Velora augmente ses tarifs fibre de 2 euros",
        "eco",
        3 * DAY,
        "Les abonnés Velora verront leur facture augmenter dès le mois prochain.",
    ),
    NewsPlan(
        "french-isp-ranking",
        "French broadband ranking: Velora tops download speeds",
        "tech",
        2 * DAY,
        "An independent study ranks Velora first for download speed, Orbitel first for latency.",
        "Staff writer",
    ),
    NewsPlan(
        "routeurs-wifi-7",
        "Les premiers routeurs wifi 7 arrivent en France",
        "tech",
        30,
        "Plus rapides, plus chers : faut-il craquer dès maintenant ?",
    ),
    NewsPlan(
        "panne-geante-velora",
        "Panne géante chez Velora : des milliers d'abonnés privés d'internet",
        "tech",
        1.6,
        "Depuis la fin d'après-midi, les VeloBox de nombreux abonnés Velora ne se connectent plus.",
    ),
    NewsPlan(
        "velora-sav-sature",
        "Velora : le service client saturé, les abonnés excédés",
        "tech",
        1.1,
        "Hotline injoignable, chat fermé : les clients de Velora dénoncent une arnaque et menacent de résilier.",
    ),
    NewsPlan(
        "velora-double-prelevement",
        "Des abonnés Velora dénoncent des doubles prélèvements",
        "eco",
        0.7,
        "En pleine panne, des clients Velora découvrent une erreur de facturation sur leur compte.",
    ),
    NewsPlan(
        "velora-reconnait-incident",
        "Velora reconnaît un « incident majeur » sur son réseau",
        "tech",
        0.3,
        "L'opérateur Velora promet un retour à la normale dans la nuit, sans donner de cause.",
    ),
)
