"""What the demo web's people say: phrase banks for the story of Velora and Cafés Lantier.

Placeholders: {city}, {n}, {amount}, {competitor}, {days}. Each bank is a tone (praise, neutral,
complaint, burst) for one brand and language; the world builder draws from them with a seeded RNG.
"""

from __future__ import annotations

CITIES = [
    "Lyon",
    "Nantes",
    "Lille",
    "Rennes",
    "Toulouse",
    "Bordeaux",
    "Grenoble",
    "Montpellier",
    "Metz",
    "Tours",
]
VELORA_COMPETITORS = ["Orbitel", "Nexa Mobile"]

VELORA_PRAISE_FR = [
    "Installé la fibre Velora la semaine dernière à {city}, technicien ponctuel et {n} Mb/s en pratique. Rien à redire.",
    "Franchement la VeloBox Pro de Velora tient ses promesses : wifi stable dans toute la maison, même au grenier.",
    "Petit retour positif : le SAV Velora m'a rappelé en moins de 10 minutes et a réglé mon souci de débit.",
    "Passé de {competitor} à Velora il y a {days} jours, la portabilité s'est faite sans coupure. Content.",
    "L'appli Velora est enfin bien faite, on voit la conso mobile en temps réel. Bravo.",
    "Velora a baissé le prix de mon forfait sans que je demande rien, ça arrive pas souvent chez un opérateur.",
    "Box Velora reçue hier, branchée en 15 minutes, tout a marché du premier coup.",
    "Je recommande Velora pour la fibre, ping à 4 ms pour jouer en ligne, c'est top.",
]
VELORA_NEUTRAL_FR = [
    "Quelqu'un sait si la VeloBox de Velora gère le wifi 6E ou seulement le wifi 6 ?",
    "Velora propose la fibre dans ma rue à {city} depuis ce mois-ci, quelqu'un a des retours ?",
    "Je compare Velora et {competitor} pour un forfait 100 Go, les prix sont assez proches.",
    "Comment on change le mot de passe wifi sur la box Velora ? Je ne trouve pas le menu.",
    "Velora annonce une nouvelle offre fibre à {amount} €/mois, reste à voir les conditions.",
    "Est-ce que le décodeur TV Velora est obligatoire avec l'offre fibre ?",
    "Pour info, Velora fait une maintenance réseau la nuit prochaine sur {city}, de 2h à 5h.",
    "Je vais déménager, quelqu'un a déjà fait un transfert de ligne chez Velora ? Ça prend combien de temps ?",
]
VELORA_COMPLAINT_FR = [
    "Troisième coupure cette semaine sur ma fibre Velora, et le débit tombe le soir. Pas terrible.",
    "Le SAV Velora m'a fait attendre 40 minutes au téléphone pour me dire de redémarrer la box…",
    "Velora m'a facturé des frais de mise en service alors que l'offre disait gratuit. Réclamation envoyée.",
    "Depuis la mise à jour, ma VeloBox de Velora redémarre toute seule la nuit. Quelqu'un d'autre ?",
    "Déçu par Velora : le technicien n'est jamais venu au rendez-vous, aucune excuse.",
    "Le wifi de la box Velora est nul au deuxième étage, obligé d'acheter un répéteur.",
]
VELORA_EN = [
    "Velora fibre has been rock solid for me in {city}, no complaints after {days} days.",
    "Does anyone know if Velora customer service speaks English? My French is not great.",
    "Switched from {competitor} to Velora, the VeloBox setup was painless.",
    "Velora's mobile plan is cheap but coverage in the countryside is patchy.",
    "Had to call Velora support twice about a billing mistake, sorted in the end.",
]
VELORA_BURST_FR = [
    "VeloBox en panne depuis ce matin, plus d'internet ni de télé. Velora ne dit rien, c'est honteux.",
    "SAV Velora injoignable ! 1h30 d'attente puis raccroché au nez. On paie pour quoi exactement ?",
    "Velora c'est une arnaque : box morte, hotline saturée, et ils osent envoyer la facture quand même.",
    "Je résilie Velora dès que la ligne revient. Trois jours de panne le mois dernier, et ça recommence.",
    "Erreur de facturation Velora : prélevé deux fois ce mois-ci, {amount} € chacun. Personne au téléphone.",
    "Toute la ville de {city} est coupée chez Velora, la VeloBox clignote rouge. Télétravail impossible.",
    "Velora, c'est fini pour moi. Panne géante, aucune information, SAV injoignable. Je pars chez {competitor}.",
    "Le service client Velora ne répond plus du tout, ni au téléphone ni sur le chat. Arnaque totale.",
    "Ma VeloBox Velora redémarre en boucle depuis 2 heures, impossible de se connecter. Ras-le-bol.",
    "Velora m'a prélevé {amount} € de frais de résiliation alors que c'est eux qui sont en panne. Scandaleux.",
    "Panne Velora à {city} aussi, ça fait des heures. Leur compte Twitter dit que tout va bien, quelle blague.",
    "Encore une panne Velora ! Je résilie, et je conseille à tout le monde de fuir cet opérateur.",
]
VELORA_BURST_EN = [
    "Velora is down again in {city}, VeloBox dead and support unreachable. This is a scam.",
    "Two hours without internet, Velora customer service won't pick up. Cancelling my contract.",
    "Velora billed me twice this month and nobody answers the phone. Worst ISP ever.",
]

LANTIER_PRAISE_FR = [
    "Le Lantier Grand Cru est devenu mon café du matin, notes de noisette et pas d'amertume.",
    "Visité la brûlerie des Cafés Lantier à {city}, accueil adorable et dégustation gratuite.",
    "Les capsules Lantier compostables passent très bien dans ma machine, enfin une alternative sérieuse.",
    "Cafés Lantier a livré ma commande en 48 h avec un petit mot manuscrit, ça fait plaisir.",
    "Pour un cadeau, le coffret découverte Cafés Lantier fait toujours son effet.",
]
LANTIER_NEUTRAL_FR = [
    "Cafés Lantier sort une édition limitée Éthiopie, quelqu'un a goûté ?",
    "Vous moulez vous-mêmes le café Lantier en grains ou vous le prenez moulu ?",
    "Les prix de Cafés Lantier augmentent de {n} % au 1er du mois d'après leur newsletter.",
    "Quelle différence entre le Lantier Grand Cru et le Lantier Intense ? Je n'y connais rien.",
]
LANTIER_COMPLAINT_FR = [
    "Dernier paquet Cafés Lantier reçu éventé, la date de torréfaction datait de deux mois.",
    "Les capsules Lantier se coincent dans ma machine une fois sur trois. Dommage, le goût est bon.",
    "Commande Cafés Lantier arrivée avec une semaine de retard et sans suivi.",
]
# Injected on demand (POST /_demo/burst?brand=Cafés Lantier): a product-quality crisis, each
# complaint different enough not to be grouped as one story with the others.
LANTIER_BURST_FR = [
    "Mes capsules Lantier Grand Cru ont un goût de plastique brûlé depuis le dernier lot, c'est immonde.",
    "Deux boîtes de capsules Lantier qui fuient dans la machine, le service client ne répond pas à {city}.",
    "Cafés Lantier : paquet ouvert, grains moisis, et aucune réponse à ma réclamation. Inadmissible.",
    "Je viens de jeter 40 € de café Lantier, odeur de rance à l'ouverture. Plus jamais.",
    "Alerte aux capsules Lantier du lot de novembre : ma machine est bouchée, la garantie refuse.",
    "Le Lantier Grand Cru n'a plus rien à voir avec avant, amer et plat, ils ont changé de fournisseur ?",
    "Commande Lantier facturée deux fois, {amount} € chaque fois, et le remboursement traîne.",
    "Des éclats de plastique dans mon paquet de café moulu Lantier. J'ai envoyé des photos, silence radio.",
    "Capsules Lantier introuvables en magasin à {city} et le site annonce un retard sans date. Déçu.",
    "Mon abonnement Cafés Lantier a été renouvelé sans mon accord, impossible de joindre quelqu'un.",
    "Le café Lantier m'a donné des maux de ventre, toute la famille pareil, il se passe quoi avec ce lot ?",
    "Franchement déçue par Cafés Lantier : colis abîmé, café éventé, et un mail automatique en guise d'excuses.",
]
LANTIER_EN = [
    "Cafés Lantier beans are excellent, the Grand Cru is my go-to espresso.",
    "Tried Lantier capsules, decent but a bit pricey compared to Torréfaction Duval.",
]

# Said on the same sites, about neither brand (they must not match).
OFFTOPIC_FR = [
    "Quelqu'un a un bon plan pour un routeur wifi mesh pas trop cher ?",
    "Mon forfait mobile {competitor} expire, je cherche un forfait sans engagement.",
    "Le débit de ma connexion chute le soir, c'est normal sur l'ADSL ?",
    "Vous utilisez quoi comme machine à expresso ? Je cherche un modèle avec broyeur.",
    "Merci pour les réponses, je vais tester ça ce soir.",
    "Pareil chez moi, ça a l'air de revenir doucement.",
    "+1, même constat depuis quelques jours.",
]
# False friends and excluded contexts: a naive matcher would take these for the brands.
FALSE_FRIENDS = [
    "Vacances d'été : quelqu'un connaît l'hôtel Velora Beach à Biarritz ? Les avis ont l'air bons.",
    "Relu Germinal ce week-end : Étienne Lantier reste un personnage fascinant.",
    "Le magasin Velorama de {city} fait des soldes sur les vélos électriques.",
    "La bibliothèque velora.io est pratique pour les graphes de latence en JavaScript.",
    "Claude Lantier, le peintre de L'Œuvre, est inspiré de Cézanne paraît-il.",
    "Freedom of speech is great but this forum needs moderation.",
]

# Second sentences that fit after any post; praise draws from its own list (same length, so the
# seeded world is unchanged but for these words): "le même souci" after praise made the generator
# write a complaint into a happy post.
FOLLOW_UPS = [
    "Quelqu'un a le même souci ?",
    "Merci d'avance pour vos retours.",
    "Je vous tiens au courant.",
    "Vous en pensez quoi ?",
    "Bref, à suivre.",
]
PRAISE_FOLLOW_UPS = [
    "Quelqu'un a la même expérience ?",
    *FOLLOW_UPS[1:],
]
REPLY_OPENERS = ["Re: ", "Re: ", "RE : "]
FORUM_AUTHORS = [
    "tonton_fibre", "Marie-Jo", "geek_lyonnais", "Nono44", "LaurentD", "petitcafé", "Kevin_R", "sosoB",
    "Papy_Box", "Julie.M", "webmaster_bzh", "Dr_Wifi", "caféine", "Alex-75", "Mireille", "jpp_33",
    "TheExpat", "ClaireV", "Momo13", "bidouilleur",
]  # fmt: skip
BLOG_AUTHORS = [
    "Sophie",
    "Thomas L.",
    "Nadia",
    "Pierre-Yves",
    "Camille",
    "John",
    "Hélène",
    "Yann",
    "Léa",
    "Marc",
]
REVIEW_AUTHORS = ["Isabelle R.", "Fred", "Aurélien B.", "Sandra", "M. Petit", "Chloé", "Rachid", "Emma W."]
