"""Words and templates of creative titles: artists, albums, songs, films, books, photos...

A title is a template (``"The {adj} {nouns}"``) filled from word lists, so a few dozen words give
tens of thousands of distinct titles and a unique title column needs no number suffixes.
Placeholders: ``{adj}`` an adjective, ``{noun}``/``{nouns}`` a noun (singular/plural),
``{place}`` a place, ``{verb}`` a verb in ``-ing`` form, ``{first}``/``{last}`` a person's name
(from the locale's name pools), ``{genre}`` a music genre, ``{decade}`` a decade.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["TEMPLATES", "WORDS"]

WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "adj": ("Midnight", "Silver", "Electric", "Golden", "Broken", "Velvet", "Crimson",
                "Silent", "Wild", "Lonely", "Burning", "Hollow", "Neon", "Paper", "Iron",
                "Distant", "Restless", "Painted", "Frozen", "Secret", "Northern", "Blue",
                "Scarlet", "Quiet", "Savage", "Sweet", "Endless", "Fading", "Hidden", "Lost"),
        "noun": ("River", "Heart", "Moon", "Fire", "Rain", "Road", "Shadow", "Garden",
                 "Mirror", "Ocean", "Storm", "Horizon", "Echo", "Dream", "Harbor", "Valley",
                 "Summer", "Winter", "Highway", "Lantern", "Signal", "Orchard", "Crown",
                 "Desert", "Island", "Letter", "Machine", "Kingdom", "Thunder", "Bridge"),
        "nouns": ("Wolves", "Lions", "Ravens", "Strangers", "Saints", "Rebels", "Kings",
                  "Pilots", "Ghosts", "Sparrows", "Tigers", "Drifters", "Giants", "Rivals",
                  "Horses", "Comets", "Pistols", "Shadows", "Echoes", "Vandals"),
        "place": ("Berlin", "Memphis", "Tokyo", "Paris", "Chicago", "Havana", "Lisbon",
                  "Nashville", "Brooklyn", "Montreal", "the Fillmore", "Red Rocks",
                  "Budokan", "Wembley", "the Apollo"),
        "verb": ("Running", "Falling", "Dancing", "Waiting", "Dreaming", "Chasing", "Burning",
                 "Breaking", "Drifting", "Calling", "Holding", "Leaving"),
        "decade": ("60s", "70s", "80s", "90s", "2000s", "2010s"),
        "topic": ("Remote Work", "Sourdough", "Gardening", "Open Source", "Photography",
                  "Running", "Minimalism", "Travel", "Cooking", "Writing", "Design",
                  "Productivity", "Parenting", "Music", "Climbing", "Coffee", "Books",
                  "Small Towns", "Old Houses", "Learning Rust", "Cycling", "Birdwatching"),
        "count": ("3", "5", "7", "10", "12"),
        "mood": ("Chill", "Workout", "Focus", "Road Trip", "Party", "Relax", "Sunday Morning",
                 "Late Night", "Study", "Summer", "Dinner", "Rainy Day"),
    }
)  # fmt: skip

TEMPLATES: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "artist": (("The {nouns}", 0.2), ("The {adj} {nouns}", 0.2), ("{adj} {noun}", 0.15),
                   ("{first} {last}", 0.25), ("{first} {last} & the {nouns}", 0.08),
                   ("{first} {last} Trio", 0.04), ("{noun} {nouns}", 0.08)),
        "album_title": (("{adj} {noun}", 0.3), ("{noun} of the {noun}", 0.12),
                        ("The {noun} Sessions", 0.08), ("Live at {place}", 0.08),
                        ("{adj} {nouns}", 0.12), ("{verb} {noun}", 0.1), ("{noun}", 0.08),
                        ("Greatest Hits", 0.02), ("Songs from the {noun}", 0.1)),
        "song_title": (("{verb} in the {noun}", 0.14), ("{adj} {noun}", 0.26),
                       ("{noun}", 0.12), ("{verb}", 0.06), ("Under the {adj} {noun}", 0.1),
                       ("My {adj} {noun}", 0.1), ("{noun} Song", 0.06),
                       ("Back to the {noun}", 0.08), ("{verb} {nouns}", 0.08)),
        "film_title": (("The {adj} {noun}", 0.22), ("{adj} {noun}", 0.2),
                       ("The {noun} of {place}", 0.1), ("{noun} {noun}", 0.12),
                       ("{verb} {nouns}", 0.1), ("The Last {noun}", 0.08),
                       ("Return to the {noun}", 0.08), ("{nouns}", 0.1)),
        "book_title": (("The {adj} {noun}", 0.25), ("The {noun} of {place}", 0.15),
                       ("A {noun} in {place}", 0.1), ("{verb} the {noun}", 0.15),
                       ("The {nouns} of {adj} {noun}", 0.1), ("{adj} {nouns}", 0.15),
                       ("The Last {noun}", 0.1)),
        "post_title": (("{count} Things I Learned About {topic}", 0.15),
                       ("A Beginner's Guide to {topic}", 0.12), ("Notes on {topic}", 0.12),
                       ("Why I Love {topic}", 0.1), ("What {topic} Taught Me", 0.1),
                       ("{topic} in {place}", 0.1), ("On {topic} and the {noun}", 0.08),
                       ("{verb} the {noun}", 0.08), ("A Year of {topic}", 0.08),
                       ("The {adj} {noun}", 0.07)),
        "blog_title": (("{topic} Notes", 0.2), ("The {adj} {noun}", 0.2),
                       ("{first}'s Notebook", 0.15), ("Notes from {place}", 0.15),
                       ("{topic} Weekly", 0.1), ("{adj} {noun} Journal", 0.1),
                       ("On {topic}", 0.1)),
        "photo_title": (("{adj} {noun}", 0.2), ("{noun} at Dawn", 0.08),
                        ("Morning in {place}", 0.1), ("{place} at Night", 0.1),
                        ("The {noun}", 0.12), ("{noun} and {noun}", 0.1),
                        ("View of the {noun}", 0.1), ("{place}", 0.08),
                        ("Summer in {place}", 0.06), ("{first} by the {noun}", 0.06)),
        "playlist_name": (("{mood} Mix", 0.2), ("{genre} Classics", 0.2),
                          ("{decade} Hits", 0.15), ("{mood} {genre}", 0.15),
                          ("Best of {genre}", 0.1), ("{mood} Vibes", 0.1), ("{genre}", 0.1)),
    }
)  # fmt: skip
