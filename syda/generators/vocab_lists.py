"""Long real vocabularies of lookup tables: music and film genres, departments, languages.

A genre table of a music store has a row per genre, and there are hundreds of genres, so a list
of a few dozen makes 150 rows repeat. These lists are large where reality is large; each runs
from the most to the least common, since a lookup table draws the common entries first. World
languages come from Faker's list of ISO 639-1 names, after the most spoken ones.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

__all__ = ["COMPANY_DEPARTMENTS", "FILM_GENRES", "MUSIC_GENRES", "Listed", "language_names"]


class Listed(tuple[str, ...]):
    """A vocabulary whose first ``common`` values a small table lists before any other.

    Six languages are six of the most spoken ones; only a table of more than ``common`` rows
    takes the rarer values too.
    """

    common: int

    def __new__(cls, values: Iterable[str], common: int | None = None) -> Listed:
        """``values``, the first ``common`` of them (default: all) the common ones."""
        self = super().__new__(cls, tuple(values))
        self.common = len(self) if common is None else min(common, len(self))
        return self


def _tiered(common: tuple[str, ...], rest: tuple[str, ...]) -> Listed:
    return Listed((*common, *rest), common=len(common))


# Chinook's own genres first (a music store's shelves), then the styles a catalogue names.
MUSIC_GENRES = _tiered((
    "Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin", "Reggae",
    "Pop", "Soundtrack", "Bossa Nova", "Easy Listening", "Heavy Metal", "R&B/Soul",
    "Electronica/Dance", "World", "Hip Hop/Rap", "Classical", "Country", "Folk", "Opera",
    "Alternative", "Funk", "Gospel", "Ambient"), (
    "Hip Hop", "Rap", "R&B", "Soul", "Electronic", "Dance", "House", "Techno", "Trance",
    "Dubstep", "Drum & Bass", "Disco", "Punk", "Grunge", "Indie", "Indie Rock", "Indie Pop",
    "K-Pop", "J-Pop", "Afrobeat", "Afrobeats", "Salsa", "Samba", "Flamenco", "Tango", "Bachata",
    "Merengue", "Cumbia", "Reggaeton", "Dancehall", "Ska", "Dub", "Swing", "Bebop", "Big Band",
    "Cool Jazz", "Smooth Jazz", "Jazz Fusion", "Free Jazz", "Bluegrass", "Americana",
    "Country Rock", "Honky Tonk", "Outlaw Country", "Hard Rock", "Progressive Rock",
    "Psychedelic Rock", "Soft Rock", "Glam Rock", "Garage Rock", "Post-Punk", "New Wave",
    "Synth-Pop", "Shoegaze", "Britpop", "Emo", "Hardcore Punk", "Pop Punk", "Death Metal",
    "Black Metal", "Thrash Metal", "Doom Metal", "Power Metal", "Nu Metal", "Metalcore",
    "Grindcore", "Industrial", "Gothic Rock", "Trip Hop", "Lo-Fi", "Chillout", "Downtempo",
    "Breakbeat", "Garage", "UK Garage", "Grime", "Trap", "Drill", "Boom Bap", "Gangsta Rap",
    "Neo Soul", "Motown", "Doo-Wop", "Rockabilly", "Surf Rock", "Blues Rock", "Delta Blues",
    "Chicago Blues", "Electric Blues", "Folk Rock", "Singer-Songwriter", "Celtic", "Baroque",
    "Chamber Music", "Choral", "Contemporary Classical", "Minimalism", "Musical", "Show Tunes",
    "Film Score", "Video Game Music", "Children's Music", "Christian", "Christian Rock",
    "Spoken Word", "Comedy", "New Age", "Instrumental", "Fado", "Klezmer", "Polka", "Zydeco",
    "Cajun", "Tejano", "Mariachi", "Ranchera", "Norteño", "Bolero", "Son Cubano", "Mambo",
    "Calypso", "Soca", "Highlife", "Soukous", "Mbalax", "Qawwali", "Bhangra", "Bollywood",
    "Carnatic", "Hindustani Classical", "Enka", "Cantopop", "Mandopop", "Gamelan", "Chanson",
    "Schlager", "Krautrock", "Eurodance", "Italo Disco", "Hi-NRG", "Acid Jazz", "Acid House",
    "Deep House", "Tech House", "Progressive House", "Electro", "IDM", "Hardstyle", "Jungle",
    "Synthwave", "Vaporwave", "Chiptune", "Noise", "Experimental", "Avant-Garde", "Post-Rock",
    "Math Rock", "Stoner Rock", "Sludge Metal", "Symphonic Metal", "Folk Metal", "Speed Metal",
    "Glam Metal", "Southern Rock", "Heartland Rock", "Jam Band", "Yacht Rock",
    "Adult Contemporary", "Lounge", "Exotica", "Dream Pop", "Art Rock", "Baroque Pop",
    "Bedroom Pop", "Hyperpop", "Cloud Rap", "Conscious Hip Hop", "Jazz Rap", "Go-Go",
    "Quiet Storm", "New Jack Swing", "Contemporary R&B", "Spirituals", "Sea Shanties",
    "Barbershop", "A Cappella", "Holiday",
))  # fmt: skip

# A video store's shelves (sakila's sixteen categories) first, then the genres of film guides.
FILM_GENRES = _tiered((
    "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama", "Family",
    "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel"), ("Thriller",
    "Romance", "Western", "Adventure", "Fantasy", "Mystery", "Crime", "War", "Musical",
    "Biography", "History", "Superhero", "Film Noir", "Martial Arts", "Disaster", "Spy",
    "Independent", "Romantic Comedy", "Cult", "Anime", "Silent", "Short Films", "Teen",
    "Mockumentary",
))  # fmt: skip

# Departments of a company, the ones nearly every company has first.
COMPANY_DEPARTMENTS = _tiered((
    "Sales", "Engineering", "Marketing", "Customer Support", "Finance", "Human Resources",
    "Operations", "Product", "Legal", "Information Technology", "Research and Development",
    "Procurement", "Quality Assurance", "Business Development", "Logistics", "Administration",
    "Accounting", "Security", "Facilities", "Data Science", "Design", "Compliance",
    "Customer Success", "Training", "Public Relations"), ("Production", "Development",
    "Quality Management", "Research", "Customer Service", "Purchasing", "Manufacturing",
    "Supply Chain", "Warehouse", "Payroll", "Treasury", "Tax", "Internal Audit",
    "Risk Management", "Investor Relations", "Corporate Communications", "Strategy",
    "Corporate Development", "Partnerships", "Inside Sales", "Field Sales", "Sales Operations",
    "Revenue Operations", "Product Marketing", "Brand", "Content", "Events", "Growth",
    "Talent Acquisition", "Learning and Development", "Benefits", "Health and Safety",
    "Sustainability", "Government Affairs", "Regulatory Affairs", "Professional Services",
    "Technical Support", "Field Service", "Infrastructure", "Platform Engineering",
    "User Experience", "Project Management Office", "Maintenance", "Executive Office",
    "Office Management",
))  # fmt: skip

# The most spoken languages (and the names a film catalogue uses for them) first.
_COMMON_LANGUAGES = (
    "English", "Spanish", "French", "German", "Italian", "Japanese", "Mandarin", "Portuguese",
    "Russian", "Arabic", "Hindi", "Korean", "Dutch", "Swedish", "Polish", "Turkish", "Greek",
    "Danish", "Norwegian", "Finnish", "Czech", "Hebrew", "Thai", "Vietnamese", "Cantonese",
    "Bengali", "Urdu", "Persian", "Indonesian", "Hungarian", "Romanian", "Ukrainian", "Malay",
    "Tamil", "Swahili", "Catalan", "Irish", "Icelandic", "Filipino", "Punjabi",
)  # fmt: skip
# Faker's ISO 639-1 names that no catalogue lists as a spoken language: constructed and
# liturgical languages, groups of languages, and inverted names.
_NOT_SPOKEN = ("Avestan", "Church Slavic", "Bihari languages", "Interlingua", "Interlingue",
               "Ido", "Volapük", "Esperanto", "Pali", "Sotho, Southern", "Panjabi")  # fmt: skip


@functools.cache
def language_names() -> Listed:
    """World languages: the most spoken first, then the rest of Faker's ISO 639-1 names."""
    from faker.providers.person import Provider  # imported when a language table is filled

    rest = (n for n in Provider.language_names if n not in _NOT_SPOKEN + _COMMON_LANGUAGES)
    return _tiered(_COMMON_LANGUAGES, tuple(dict.fromkeys(rest)))
