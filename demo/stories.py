"""The demo's stories: one promise each, its pledges, news, discussion, kept promises and bilan.

Plain data, read by `manage.py seed_demo`. Every date is relative to the day the command runs,
so the demo always looks current:

- the action falls on `weekday` (0 = Monday), the first one on or after `days_ahead` days from
  today (negative: in the past); with `month_ahead`, the first such weekday of the first month
  that starts at least that many days ahead; with no weekday, exactly `days_ahead` days ahead;
- the deadline is at 20:00, `deadline_before` days before the action (or before the first of
  the month, for an action that lasts a month);
- in the texts, `{day}` is the action's day ("samedi 5 décembre") and `{of_month}` its month
  with its preposition ("de décembre", "d'avril");
- posts, replies and news happen at `ago(days, "HH:MM")` (Paris time, that many days before
  today) or `on_action(days, "HH:MM")` (days after the action's day); kept promises are said on
  the evening of the action.

Authors are the initiator, Paula (a demo account, in the stories with `with_paula`), or "@1",
"@2"…: participants of that promise that the command picks among those who had pledged by then
(the same "@1" throughout one story).
"""

import datetime
from dataclasses import dataclass, field

from promises.models import Promise

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

days = datetime.timedelta


@dataclass(frozen=True)
class Moment:
    days: int  # from today, or from the action's day when from_action
    clock: str  # "HH:MM", Paris time
    from_action: bool = False


def ago(count: int, clock: str) -> Moment:
    return Moment(-count, clock)


def on_action(count: int, clock: str) -> Moment:
    return Moment(count, clock, from_action=True)


@dataclass(frozen=True)
class Reply:
    author: str
    text: str
    at: Moment


@dataclass(frozen=True)
class Post:
    author: str
    at: Moment
    text: str = ""
    photo: str = ""  # a scene of demo.photos
    replies: tuple[Reply, ...] = ()
    pinned: bool = False


@dataclass(frozen=True)
class News:
    """Nouvelles, from the initiator."""

    at: Moment
    text: str
    photo: str = ""


@dataclass(frozen=True)
class Keep:
    """ "J'ai tenu ma promesse", with a comment (and a photo): it becomes a post."""

    author: str
    comment: str
    photo: str = ""


@dataclass(frozen=True)
class Story:
    """One promise and the life of its pledges, relative to now."""

    action: str
    objective: int
    city: str
    themes: list[str]
    description: str
    initiator: str  # display name of a demo account or of a local initiator
    created_ago: datetime.timedelta
    state: str
    counted: int  # open/failed/cancelled: the final count; reached: the objective
    days_ahead: int
    deadline_before: int
    weekday: int | None = None
    month_ahead: int | None = None
    withdrawn: int = 0  # open/failed/cancelled only: a withdrawal can't happen once reached
    pending: int = 0  # unconfirmed email addresses
    late: int = 0  # reached only: joined after the objective was reached
    abandons: list[str] = field(default_factory=list)  # reached only: one reason each
    reached_ago: datetime.timedelta | None = None
    cancelled_ago: datetime.timedelta | None = None
    with_paula: bool = False
    news: tuple[News, ...] = ()
    posts: tuple[Post, ...] = ()
    # Reached, once the action is past: `kept` participants say they kept their promise, the
    # `keeps` among them with a comment. With a `recap`, the initiator then publishes this
    # bilan (the promise is finished).
    kept: int = 0
    keeps: tuple[Keep, ...] = ()
    recap: str = ""
    finished_ago: datetime.timedelta | None = None
    # In an organisation's name (people.ORGANISATIONS); for its members only: pledged by them.
    organisation: str = ""
    members_only: bool = False


STORIES = [
    Story(
        action="ramasser les mégots autour du Vieux-Port de Marseille le {day}",
        objective=20,
        city="Marseille",
        themes=["Environnement", "Déchets"],
        description=(
            "Un mégot jeté par terre finit presque toujours dans la mer, et pollue à lui "
            "seul des centaines de litres d'eau.\n\n"
            "Rendez-vous à 10 h devant l'ombrière du Vieux-Port. Bouteilles de collecte et "
            "gants fournis ; les mégots partent ensuite au recyclage.\n\n"
            "Pourquoi les mégots : https://www.surfrider.eu/"
        ),
        initiator="Elsa",
        created_ago=days(70, hours=2),
        weekday=SUN,
        days_ahead=-36,
        deadline_before=5,
        state=Promise.State.REACHED,
        counted=20,
        pending=1,
        late=6,
        abandons=[
            "Mon fils est tombé malade la veille : impossible de venir.",
            "Train annulé depuis Aix, impossible de venir à temps. La prochaine fois !",
        ],
        reached_ago=days(50, hours=5),
        news=(
            News(
                ago(48, "19:10"),
                "Objectif atteint : nous serons au moins vingt ! Le restaurant du quai nous "
                "donne trente bouteilles de 1,5 litre pour ranger les mégots.",
            ),
            News(
                ago(38, "12:30"),
                "Dernières infos : rendez-vous à 10 h devant l'ombrière, côté quai de la "
                "Fraternité. Prenez une casquette ; les gants sont fournis.",
            ),
        ),
        posts=(
            Post(
                "@1",
                ago(45, "20:05"),
                "Est-ce qu'on peut venir avec des enfants ? Les miens ont 8 et 11 ans, ils "
                "adorent ce genre de mission.",
                replies=(
                    Reply(
                        "Elsa",
                        "Avec plaisir ! Il y aura des gants taille enfant.",
                        ago(45, "21:12"),
                    ),
                    Reply(
                        "@2",
                        "On vient avec les nôtres aussi : ils feront équipe !",
                        ago(44, "08:40"),
                    ),
                ),
            ),
            Post(
                "@3",
                ago(40, "13:15"),
                "Astuce : les mégots se cachent surtout entre les pavés et au pied des bancs. "
                "Une pince à barbecue marche très bien.",
                replies=(Reply("@4", "Excellente idée, je prends la mienne.", ago(40, "18:02")),),
            ),
            Post(
                "Elsa",
                on_action(0, "13:20"),
                "Le butin de la matinée : quatorze bouteilles pleines. Merci à toutes et à tous !",
                photo="bouteilles",
                replies=(
                    Reply("@1", "Mes enfants en parlent encore !", on_action(0, "18:45")),
                    Reply(
                        "@5",
                        "Bravo l'équipe, et merci Elsa pour l'organisation.",
                        on_action(1, "09:30"),
                    ),
                ),
            ),
            Post(
                "@6",
                on_action(1, "10:05"),
                "Le Vieux-Port ce matin, sans un mégot entre les pavés. Pour combien de temps ?",
                photo="port",
                replies=(
                    Reply(
                        "Elsa",
                        "Tant qu'on sera là pour y veiller ! Rendez-vous au printemps.",
                        on_action(1, "12:40"),
                    ),
                ),
            ),
        ),
        kept=17,
        keeps=(
            Keep(
                "@1",
                "Avec mes deux enfants : ils ont rempli une bouteille à eux seuls.",
                photo="bouteilles",
            ),
            Keep("@3", "La pince à barbecue a fait ses preuves. Quelle matinée !", photo="port"),
            Keep("@7", "Première collecte pour moi, sûrement pas la dernière."),
        ),
        recap=(
            "Quelle matinée ! Nous étions une vingtaine sous le soleil d'automne, de "
            "l'ombrière jusqu'au fort Saint-Jean.\n\n"
            "Résultat : 14 bouteilles de 1,5 litre remplies de mégots, soit environ "
            "11 000 mégots qui n'iront pas dans la mer. Ils sont partis au recyclage.\n\n"
            "Merci à toutes et à tous, et bienvenue aux six personnes qui nous ont "
            "rejoints en cours de route. On remet ça au printemps ?"
        ),
        finished_ago=days(12, hours=3),
    ),
    Story(
        action="aller nettoyer la plage de Biscarosse le {day}",
        organisation="Les Gardiens de la plage",
        objective=50,
        city="Biscarosse",
        themes=["Environnement", "Déchets"],
        description=(
            "Les tempêtes de l'automne ont laissé des kilos de plastique, de cordages et de "
            "filets sur la plage centrale de Biscarosse.\n\n"
            "Rendez-vous à 9 h devant le poste de secours de la plage centrale. Gants, sacs "
            "et pinces sont fournis par l'association ; apportez une gourde et des "
            "vêtements chauds.\n"
            "On pèsera les déchets ramassés et on enverra les chiffres à Surfrider pour "
            "leur inventaire.\n\n"
            "Plus d'infos sur les collectes : https://www.initiativesoceanes.org/"
        ),
        initiator="Elsa",
        created_ago=days(24, hours=3),
        weekday=SAT,
        days_ahead=10,
        deadline_before=3,
        state=Promise.State.REACHED,
        counted=50,
        pending=2,
        late=13,
        abandons=[
            "Entorse au foot dimanche : je ne peux plus marcher. Je viendrai à la prochaine !",
            "Finalement je travaille ce samedi-là, je n'ai pas pu échanger mon service.",
        ],
        reached_ago=days(5, hours=7),
        with_paula=True,
        news=(
            News(
                ago(4, "18:30"),
                "Objectif atteint en moins de trois semaines, merci ! L'association a "
                "confirmé : gants, sacs et pinces pour tout le monde, et une balance pour peser "
                "ce qu'on ramassera.",
            ),
            News(
                ago(2, "12:15"),
                "Je suis passée sur la plage ce midi : beaucoup de cordages et de bouts de "
                "filets vers le nord. Voilà ce qui nous attend !",
                photo="plage",
            ),
        ),
        posts=(
            Post(
                "@3",
                ago(14, "09:40"),
                "Faut-il apporter ses propres gants ?",
                replies=(
                    Reply(
                        "Elsa",
                        "Non, l'association fournit gants, sacs et pinces. Apportez juste une "
                        "gourde et un coupe-vent !",
                        ago(14, "11:02"),
                    ),
                ),
            ),
            Post(
                "@7",
                ago(9, "18:00"),
                "Souvenir de la collecte de mars : 38 sacs. On fait mieux cette fois ?",
                photo="sacs",
                replies=(Reply("Elsa", "À cinquante, sûrement !", ago(9, "19:20")),),
            ),
            Post(
                "Elsa",
                ago(4, "19:00"),
                "Point de rendez-vous : devant le poste de secours de la plage centrale, à "
                "9 h. Parking gratuit avenue de la Plage. On finit vers 12 h 30.",
                pinned=True,
                replies=(
                    Reply(
                        "Paula",
                        "Je viens en voiture depuis Bordeaux : trois places libres, départ "
                        "7 h 30 de la gare Saint-Jean.",
                        ago(3, "08:50"),
                    ),
                    Reply("@1", "Je prends une place, merci Paula !", ago(3, "12:20")),
                    Reply("@2", "Moi aussi, s'il en reste une !", ago(2, "21:05")),
                ),
            ),
            Post(
                "@4",
                ago(3, "17:25"),
                "Repérage après le travail : il y a du boulot !",
                photo="plage",
                replies=(Reply("@5", "Merci pour le repérage, ça motive !", ago(3, "19:10")),),
            ),
            Post(
                "Paula",
                ago(1, "20:40"),
                "On fait un pique-nique sur la plage après ? J'apporte une quiche.",
                replies=(
                    Reply(
                        "Elsa",
                        "Bonne idée ! Chacun apporte quelque chose à partager.",
                        ago(1, "21:15"),
                    ),
                    Reply("@6", "Je m'occupe des boissons.", ago(1, "22:02")),
                ),
            ),
        ),
    ),
    Story(
        action=("laisser ma voiture au garage tous les mardis {of_month}, dans Bordeaux Métropole"),
        objective=100,
        city="Bordeaux",
        themes=["Mobilité", "Environnement"],
        description=(
            "Un jour par semaine sans voiture, ce n'est pas grand-chose pour chacun, mais à "
            "cent, c'est plus de 400 trajets en voiture en moins sur la rocade.\n\n"
            "Le mardi, on prend le tram, le bus, le vélo, on marche ou on covoiture. "
            "Premier mardi : le {day}.\n"
            "On partagera nos trajets et nos astuces dans la discussion.\n\n"
            "Horaires et itinéraires : https://www.infotbm.com/"
        ),
        initiator="Arthur",
        created_ago=days(19, hours=5),
        weekday=TUE,
        month_ahead=8,
        days_ahead=0,
        deadline_before=1,
        state=Promise.State.OPEN,
        counted=87,
        withdrawn=3,
        pending=2,
        with_paula=True,
        news=(
            News(
                ago(6, "18:00"),
                "87 ! Plus que treize personnes et on y est. Le plus efficace : partager le "
                "lien de la promesse avec vos collègues.",
            ),
        ),
        posts=(
            Post(
                "@1",
                ago(15, "08:10"),
                "Je fais Mérignac – Mériadeck tous les jours. Quelqu'un pour covoiturer le mardi ?",
                replies=(
                    Reply(
                        "@2",
                        "Moi ! Je pars du Burck vers 8 h, je peux te prendre au passage.",
                        ago(15, "12:35"),
                    ),
                    Reply(
                        "Paula",
                        "Pensez aussi à la Lianes 1+ : elle passe toutes les dix minutes.",
                        ago(14, "19:20"),
                    ),
                ),
            ),
            Post(
                "Arthur",
                ago(10, "09:05"),
                "Essai ce matin : 24 minutes en tram de Pessac au centre, contre 35 en voiture "
                "dans les bouchons de la rocade. Ça commence bien.",
                photo="tram",
                replies=(Reply("@3", "Et dans le tram, on peut lire !", ago(10, "12:50")),),
            ),
            Post(
                "@4",
                ago(5, "21:30"),
                "Mon vélo est prêt pour les mardis : pneus regonflés, lumière neuve.",
                photo="velo",
                replies=(
                    Reply("Arthur", "Superbe ! Pense au gilet jaune le soir.", ago(4, "07:55")),
                ),
            ),
        ),
    ),
    Story(
        action=(
            "installer un composteur partagé au jardin de la Montée de la Grande-Côte et y "
            "apporter mes épluchures chaque semaine"
        ),
        objective=30,
        city="Lyon (Croix-Rousse)",
        themes=["Alimentation", "Déchets", "Vivre ensemble"],
        description=(
            "Un tiers de nos poubelles, ce sont des déchets de cuisine qui pourraient "
            "nourrir les jardins des pentes.\n\n"
            "La Métropole fournit gratuitement le bac et une formation de référent si nous "
            "sommes au moins trente foyers.\n"
            "Ensuite : un bioseau par foyer, et une permanence le samedi matin pour "
            "brasser le compost ensemble.\n\n"
            "Le compostage partagé à Lyon : https://www.grandlyon.com/"
        ),
        initiator="Inès",
        created_ago=days(2, hours=4),
        weekday=SAT,
        days_ahead=40,
        deadline_before=7,
        state=Promise.State.OPEN,
        counted=6,
        pending=1,
        posts=(
            Post(
                "Inès",
                ago(1, "18:20"),
                "Voici le bac que la Métropole installerait : trois compartiments en bois, "
                "comme celui du jardin des Chartreux.",
                photo="compost",
                replies=(
                    Reply(
                        "@1",
                        "Super ! J'habite rue des Tables-Claudiennes, je veux bien suivre la "
                        "formation de référent avec toi.",
                        ago(1, "20:45"),
                    ),
                ),
            ),
        ),
    ),
    Story(
        action=(
            "tenir deux heures la collecte de la Banque alimentaire au Carrefour de "
            "Villeurbanne le {day}"
        ),
        objective=25,
        city="Villeurbanne",
        themes=["Solidarité", "Alimentation"],
        description=(
            "Chaque fin novembre, la collecte nationale remplit les étagères de la Banque "
            "alimentaire du Rhône pour tout l'hiver.\n\n"
            "Il faut des bras de 9 h à 19 h : accueillir les clients, leur remettre la "
            "liste des produits utiles, trier les dons dans les cartons.\n"
            "Créneaux de deux heures, chasuble fournie.\n\n"
            "La collecte : https://www.banquealimentaire.org/"
        ),
        initiator="Karim",
        created_ago=days(11, hours=2),
        weekday=SAT,
        days_ahead=5,
        deadline_before=1,
        state=Promise.State.OPEN,
        counted=21,
        withdrawn=1,
        pending=1,
        with_paula=True,
        news=(
            News(
                ago(3, "19:00"),
                "Le magasin nous réserve l'entrée principale et une table. Les chasubles "
                "orange nous attendent à l'accueil.",
            ),
        ),
        posts=(
            Post(
                "Karim",
                ago(8, "20:10"),
                "Les créneaux : 9 h-11 h, 11 h-13 h, 13 h-15 h, 15 h-17 h, 17 h-19 h. Dites "
                "en réponse celui que vous préférez !",
                pinned=True,
                replies=(
                    Reply("@1", "9 h-11 h pour moi.", ago(8, "20:32")),
                    Reply("Paula", "15 h-17 h !", ago(7, "08:15")),
                    Reply("@2", "Je peux faire deux créneaux le matin.", ago(6, "12:40")),
                    Reply(
                        "Karim",
                        "Merci ! Il manque encore du monde pour 17 h-19 h.",
                        ago(5, "19:05"),
                    ),
                ),
            ),
            Post(
                "@3",
                ago(4, "13:30"),
                "L'an dernier, on avait rempli tout ça en une journée ! Ce qui manque le plus : "
                "conserves de poisson, huile, café, produits d'hygiène.",
                photo="cartons",
            ),
        ),
    ),
    Story(
        action=(
            "aller au travail à vélo chaque jour ouvré {of_month}, même sous la pluie, à Strasbourg"
        ),
        objective=200,
        city="Strasbourg",
        themes=["Mobilité"],
        description=(
            "Le vélo en été, tout le monde sait faire. Le défi, c'est l'hiver !\n\n"
            "On compte nos kilomètres, on se donne des conseils (éclairage, gants, "
            "garde-boue) et on organise des convois depuis Koenigshoffen, la Robertsau et "
            "Illkirch pour les moins rassurés.\n"
            "Les entreprises participantes offrent un petit-déjeuner le premier lundi.\n\n"
            "Pour bien s'équiper : https://www.fub.fr/"
        ),
        initiator="Mathilde",
        created_ago=days(9, hours=6),
        weekday=MON,
        month_ahead=35,
        days_ahead=0,
        deadline_before=3,
        state=Promise.State.OPEN,
        counted=46,
        withdrawn=2,
        pending=2,
        posts=(
            Post(
                "@1",
                ago(6, "07:45"),
                "Conseils de cycliste d'hiver : des gants de ski, un bon éclairage arrière "
                "et des garde-boue. Le reste, c'est dans la tête !",
                photo="velo",
                replies=(
                    Reply(
                        "Mathilde",
                        "Merci ! On fera un atelier éclairage avant le début du défi.",
                        ago(6, "12:10"),
                    ),
                    Reply("@2", "Et un pantalon de pluie, indispensable.", ago(5, "18:30")),
                ),
            ),
            Post(
                "@3",
                ago(3, "19:20"),
                "Qui part de Koenigshoffen ? Je propose un convoi à 8 h devant l'église "
                "Saint-Joseph.",
                replies=(Reply("@4", "J'en suis, à 8 h devant l'église !", ago(2, "08:05")),),
            ),
        ),
    ),
    Story(
        action="apprendre les gestes qui sauvent avec la Protection civile à Marseille",
        objective=15,
        city="Marseille",
        themes=["Solidarité", "Vivre ensemble"],
        description=(
            "Une formation PSC1 de sept heures, un samedi, à la Belle de Mai.\n\n"
            "Si nous sommes quinze, l'antenne locale ouvre une session rien que pour nous, "
            "le {day}. Coût : 60 €, souvent remboursés par les mutuelles.\n\n"
            "Le programme : https://www.protection-civile.org/"
        ),
        initiator="Lucas",
        created_ago=days(0, hours=5),
        weekday=SAT,
        days_ahead=21,
        deadline_before=7,
        state=Promise.State.OPEN,
        counted=1,
    ),
    Story(
        action=("donner mon sang à la Maison du don de Toulouse pendant la semaine du {day}"),
        objective=40,
        city="Toulouse",
        themes=["Solidarité"],
        description=(
            "Les réserves de sang baissent chaque hiver. Un don prend une heure et peut "
            "sauver trois vies.\n\n"
            "Si nous sommes quarante, la Maison du don de Purpan nous réserve des créneaux "
            "toute la semaine, de 8 h à 19 h, et on se retrouve le vendredi soir pour fêter "
            "ça.\n\n"
            "Qui peut donner : https://dondesang.efs.sante.fr/"
        ),
        initiator="Aurélie",
        created_ago=days(15, hours=3),
        weekday=MON,
        days_ahead=12,
        deadline_before=2,
        state=Promise.State.OPEN,
        counted=29,
        withdrawn=1,
        pending=1,
        news=(
            News(
                ago(5, "18:10"),
                "Les créneaux sont ouverts : prenez rendez-vous en ligne et écrivez "
                "« OnPromet » dans le commentaire, on sera regroupés.",
            ),
        ),
        posts=(
            Post(
                "@1",
                ago(12, "12:45"),
                "Première fois pour moi : ça se passe comment ?",
                replies=(
                    Reply(
                        "Aurélie",
                        "Un questionnaire, un court entretien avec un médecin, dix minutes de "
                        "don, puis une collation. Une heure en tout.",
                        ago(12, "13:30"),
                    ),
                    Reply("@2", "Et surtout, ne venez pas à jeun !", ago(11, "08:20")),
                ),
            ),
        ),
    ),
    Story(
        action=(
            "tenir un stand au Repair Café de Chantenay, à Nantes, un samedi par mois "
            "pendant six mois"
        ),
        objective=12,
        city="Nantes",
        themes=["Déchets", "Vivre ensemble"],
        description=(
            "Grille-pain, vélos, vêtements, ordinateurs : chaque mois, des dizaines "
            "d'objets repartent réparés au lieu de finir à la déchetterie.\n\n"
            "Il nous faut douze bénévoles pour ouvrir tous les mois : bricoleurs, "
            "couturières, électroniciens, mais aussi des gens pour l'accueil et le café.\n"
            "Première séance le {day}, de 14 h à 18 h, à la maison de quartier.\n\n"
            "Le réseau : https://www.repaircafe.org/fr/"
        ),
        initiator="Yannick",
        created_ago=days(34, hours=1),
        weekday=SAT,
        days_ahead=14,
        deadline_before=7,
        state=Promise.State.REACHED,
        counted=12,
        pending=1,
        late=3,
        abandons=["Je déménage à Rennes en janvier. Bonne continuation à tous !"],
        reached_ago=days(12, hours=2),
        news=(
            News(
                ago(11, "18:45"),
                "Douze bénévoles : le Repair Café ouvrira chaque mois ! La maison de quartier "
                "nous prête la grande salle et deux établis.",
            ),
        ),
        posts=(
            Post(
                "@1",
                ago(9, "20:15"),
                "Je répare de l'électronique depuis vingt ans : je peux m'occuper des petits "
                "appareils. Quelqu'un a un fer à souder de rechange ?",
                replies=(
                    Reply(
                        "Yannick",
                        "La maison de quartier en a deux, et un multimètre.",
                        ago(9, "21:00"),
                    ),
                    Reply(
                        "@2",
                        "J'apporte ma machine à coudre pour les vêtements.",
                        ago(8, "09:30"),
                    ),
                ),
            ),
            Post(
                "Yannick",
                ago(4, "17:10"),
                "La salle est prête : établis, lampes, caisses à outils. Il ne manque plus que "
                "vous, et vos grille-pain en panne !",
                photo="atelier",
                replies=(
                    Reply("@3", "Ça donne envie ! Je ferai l'accueil et le café.", ago(4, "18:25")),
                ),
            ),
        ),
    ),
    Story(
        action="ramasser les déchets des berges de la Loire à Tours le {day}",
        objective=20,
        city="Tours",
        themes=["Environnement", "Déchets"],
        description=(
            "Après les crues, les berges de la Loire sont jonchées de plastique, de canettes "
            "et de bouts de polystyrène.\n\n"
            "Rendez-vous à 9 h au pied du pont Wilson, côté Saint-Symphorien. La Ville "
            "fournit gants et sacs, et vient les chercher à midi.\n\n"
            "Les collectes au bord de l'eau : https://www.initiativesoceanes.org/"
        ),
        initiator="Nadia",
        created_ago=days(33, hours=2),
        weekday=SAT,
        days_ahead=-7,
        deadline_before=3,
        state=Promise.State.REACHED,
        counted=20,
        pending=1,
        late=4,
        abandons=["Ma voiture est tombée en panne le matin même. Trop dommage de rater ça !"],
        reached_ago=days(16, hours=4),
        news=(
            News(
                ago(10, "18:20"),
                "Tout est prêt : la Ville nous fournit quarante sacs, et un bateau de "
                "l'association des mariniers ramassera ce qui flotte près des piles du pont.",
            ),
        ),
        posts=(
            Post(
                "@1",
                ago(14, "20:00"),
                "Bottes ou baskets ? Je ne connais pas l'état des berges.",
                replies=(
                    Reply(
                        "Nadia",
                        "Des bottes si vous en avez : ça glisse près de l'eau.",
                        ago(14, "21:10"),
                    ),
                ),
            ),
            Post(
                "Nadia",
                on_action(0, "13:05"),
                "Quarante-deux sacs et un caddie repêché ! Merci à vous, le bilan arrive bientôt.",
                photo="berges",
                replies=(Reply("@2", "Quelle équipe ! À refaire.", on_action(0, "17:30")),),
            ),
        ),
        kept=12,
        keeps=(
            Keep("@2", "Trois sacs rien que pour moi, et un pneu !", photo="sacs"),
            Keep("@3", "Les berges n'ont jamais été aussi propres.", photo="berges"),
            Keep("@4", "Avec ma fille : elle veut déjà recommencer."),
        ),
    ),
    Story(
        action="planter une haie bocagère de 300 mètres à la ferme de la Touche, près de Rennes",
        objective=40,
        city="Rennes",
        themes=["Environnement"],
        description=(
            "Noisetiers, charmes, aubépines, églantiers : 900 plants à mettre en terre en "
            "une journée pour abriter les oiseaux et retenir l'eau.\n\n"
            "Bêches et plants fournis ; venez avec des bottes. Repas partagé à la ferme "
            "le midi.\n\n"
            "Pourquoi les haies : https://afac-agroforesteries.fr/"
        ),
        initiator="Gwenaëlle",
        created_ago=days(40, hours=2),
        days_ahead=6,
        deadline_before=10,
        state=Promise.State.FAILED,
        counted=23,
        withdrawn=2,
        pending=1,
        with_paula=True,
        news=(
            News(
                ago(20, "18:00"),
                "La pépinière de Betton nous garde les 900 plants jusqu'à la fin du mois. "
                "Parlez-en autour de vous !",
            ),
        ),
        posts=(
            Post(
                "Gwenaëlle",
                ago(25, "12:30"),
                "Une haie plantée l'an dernier à Pacé : voilà à quoi ressemblera la nôtre au "
                "bout d'un an.",
                photo="haie",
                replies=(Reply("@1", "Magnifique. Je viendrai avec ma bêche.", ago(24, "19:40")),),
            ),
            Post(
                "Paula",
                ago(2, "09:15"),
                "Dommage pour cette fois… Prévenez-nous si vous relancez la promesse au "
                "printemps, je serai là !",
                replies=(
                    Reply(
                        "Gwenaëlle",
                        "Promis : je relance dès que la ferme a une nouvelle date. Merci à "
                        "vous 23 !",
                        ago(2, "11:40"),
                    ),
                ),
            ),
        ),
    ),
    Story(
        action=("éplucher les invendus du marché de Wazemmes pour une disco soupe géante le {day}"),
        objective=30,
        city="Lille",
        themes=["Alimentation", "Vivre ensemble", "Déchets"],
        description=(
            "Des cagettes de légumes abîmés mais bons, de la musique, des couteaux et des "
            "grandes marmites : une soupe offerte à tout le quartier.\n\n"
            "Mise à jour : le marché est déplacé pour travaux ce dimanche-là et nous "
            "n'avons plus de place pour les marmites. J'annule, merci à vous, on "
            "remettra ça au printemps !\n\n"
            "Le mouvement : https://discosoupe.org/"
        ),
        initiator="Sophie",
        created_ago=days(30, hours=4),
        weekday=SUN,
        days_ahead=-12,
        deadline_before=2,
        state=Promise.State.CANCELLED,
        counted=9,
        withdrawn=1,
        cancelled_ago=days(8, hours=3),
        posts=(
            Post(
                "@1",
                ago(22, "19:00"),
                "J'apporte ma grande marmite de 30 litres, et des couteaux !",
                replies=(
                    Reply(
                        "Sophie", "Génial, merci ! Il en faudra au moins trois.", ago(22, "20:10")
                    ),
                ),
            ),
        ),
    ),
    # Inside a company: for its members only (an outsider's link answers 404).
    Story(
        action="trier les déchets de la cantine et lancer le compost du siège le {day}",
        objective=12,
        city="Mérignac",
        themes=["Déchets", "Alimentation"],
        description=(
            "La cantine jette chaque midi deux bacs de restes et d'emballages mélangés.\n\n"
            "Une heure pour installer les bacs de tri et le composteur de la cour, avec "
            "l'équipe de la cantine. Gants fournis, café offert."
        ),
        initiator="Arthur",
        created_ago=days(6, hours=3),
        days_ahead=9,
        deadline_before=2,
        state=Promise.State.OPEN,
        counted=8,
        organisation="Cap Vert Énergie",
        members_only=True,
    ),
]
