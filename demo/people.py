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

THEMES = ["Environnement", "Mobilité", "Alimentation", "Solidarité", "Déchets", "Vivre ensemble"]

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
