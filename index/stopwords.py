"""Function words left out of "top terms": the test distribution has no stop-word filters, and
even production analyzers keep short words such as "à" or "ça" that say nothing about a buzz."""

FRENCH = frozenset(
    """
    a à ai aie ait alors au aucun aussi autre aux avais avait avant avec avez avoir c ça ce ceci cela
    celle celui ces cet cette chez ci comme comment d dans de des du donc dont elle elles en encore
    est et étaient était été être eu eux fait faire fois font ici il ils j je jusqu l la là le les
    leur leurs lui m ma mais me même mes moi mon n ne ni non nos notre nous on ont ou où par pas peu
    peut plus pour pourquoi qu quand que quel quelle quels qui sa sans se sera ses si son sont sous
    suis sur t ta te tes toi ton tous tout toute toutes très tu un une vos votre vous y
    """.split()
)
ENGLISH = frozenset(
    """
    a about after all also am an and any are as at be been but by can could did do does for from had
    has have he her his how i if in into is it its just me my no not of on or our out she so than
    that the their them then there these they this to too up us was we were what when which who why
    will with would you your
    """.split()
)
# The text analyzer keeps elided forms whole ("c'est", "j'ai"), so they are listed as such, with
# both the straight and the typographic apostrophe.
_ELIDED = """
    c'est c'était ça j'ai j'avais j'en j'étais l'on l'a n'est n'a n'ai n'y n'en qu'il qu'elle qu'on
    qu'un qu'une s'il s'est d'un d'une d'autres m'a m'ont t'as aujourd'hui jusqu'à
    """.split()
ELIDED = frozenset(_ELIDED) | frozenset(w.replace("'", "\u2019") for w in _ELIDED)
STOPWORDS = FRENCH | ENGLISH | ELIDED
