"""The demo's people: the accounts whose password the command prints, and the names of the few
hundred participants it invents."""

# The documented demo password of every account; the command refuses to run when DEBUG is off.
PASSWORD = "onpromet-demo"  # noqa: S105  # nosec B105

MODERATOR_EMAIL = "moderation@onpromet.localhost"
# Invented participants and local initiators get an address here (a domain that never exists).
DEMO_DOMAIN = "demo.onpromet.localhost"

# (email, display name, role shown in the output); the moderator comes first.
ACCOUNTS = [
    (MODERATOR_EMAIL, "Modération", "modérateur (/admin/)"),
    ("elsa@onpromet.localhost", "Elsa", "initiatrice (plage de Biscarosse)"),
    ("arthur@onpromet.localhost", "Arthur", "initiateur (Bordeaux sans voiture)"),
    ("paula@onpromet.localhost", "Paula", "participante"),
]

# Each theme: its icon and the words at the top of its page.
THEMES = {
    "Environnement": ("🌱", "Protéger la nature près de chez soi : nettoyer, planter, préserver."),
    "Mobilité": ("🚲", "Se déplacer autrement : à vélo, à pied, ensemble."),
    "Alimentation": ("🥕", "Manger local et de saison, cuisiner, ne rien gaspiller."),
    "Solidarité": ("🤝", "Donner un coup de main à ceux qui en ont besoin."),
    "Déchets": ("♻️", "Moins jeter, mieux trier, réparer et réemployer."),
    "Vivre ensemble": ("🏘️", "Faire vivre son quartier et rencontrer ses voisins."),
}

# The organisations: name, kind, its admin (a demo account), its words, how many of the
# participants are members. The association leads the Biscarosse clean-up in its name; the
# company has a promise for its members only.
ORGANISATIONS = [
    (
        "Les Gardiens de la plage",
        "association",
        "Elsa",
        "Association de Biscarosse : nous ramassons ce que la mer rapporte, un samedi par "
        "mois, et nous apprenons aux écoles à trier.",
        60,
    ),
    (
        "Cap Vert Énergie",
        "entreprise",
        "Arthur",
        "PME bordelaise de rénovation énergétique, 80 salariés. Nos collègues agissent "
        "ensemble dans le cadre de notre démarche RSE.",
        20,
    ),
]

PARTICIPANTS = 260

FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Alice", "Lina", "Zoé",
    "Sarah", "Juliette", "Lucie", "Clara", "Anaïs", "Margaux", "Mathilde", "Pauline", "Marion",
    "Laura", "Julie", "Claire", "Hélène", "Nathalie", "Sandrine", "Isabelle", "Sylvie",
    "Christine", "Martine", "Agathe", "Rose", "Ambre", "Romane", "Nour", "Yasmine", "Fatou",
    "Aïcha", "Maëlle", "Gwenaëlle", "Solène", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur",
    "Jules", "Adam", "Raphaël", "Léo", "Tom", "Théo", "Nathan", "Paul", "Maxime", "Antoine",
    "Thomas", "Nicolas", "Julien", "Pierre", "Alexandre", "Guillaume", "Mathieu", "Sébastien",
    "Olivier", "Philippe", "Laurent", "Éric", "François", "Bernard", "Jean", "Michel", "Karim",
    "Mehdi", "Youssef", "Samir", "Moussa", "Yannick", "Erwan", "Loïc", "Gaël", "Baptiste",
    "Clément", "Romain", "Victor", "Martin", "Simon", "Bastien", "Quentin", "Florian", "Axel",
    "Dominique", "Frédérique",
)  # fmt: skip

# "Camille B." rather than a full surname.
INITIALS = "ABCDEFGHJLMNPRSTV"
