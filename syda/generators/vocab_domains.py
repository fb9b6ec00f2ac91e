"""Vocabularies chosen by the domain of a table, and the words that say the domain.

A ``category`` of a film store is Action or Documentary, of a food wholesaler Beverages or
Seafood, of a software vendor Licences or Support Plans. The domain is read from the table's
docstring or comment, its column comments, its name and the user's prompt
(:func:`syda.generators.domains.domain_of`); each vocabulary below maps a domain to its values,
with ``""`` as the default. Lists run from most to least common where the order carries meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from syda.generators.vocab_lists import COMPANY_DEPARTMENTS, FILM_GENRES, MUSIC_GENRES

__all__ = [
    "B2B_ROLES",
    "BUILDINGS",
    "CATEGORIES",
    "COURSES",
    "DEPARTMENTS",
    "DOMAINS",
    "DOMAIN_KINDS",
    "GENRES",
    "JOB_TITLES",
    "LANGUAGES",
    "MARKET_SEGMENTS",
    "MEDIA_TYPES",
    "PRODUCT_CATALOGUES",
    "SALES_REGIONS",
    "SETTINGS",
    "SHIP_MODES",
]

# Domain -> words that say it (regular expressions, matched case-insensitively on word starts).
# The domain with most matches wins; ties go to the earlier entry.
DOMAINS: tuple[tuple[str, str], ...] = (
    ("software", r"software|licen[cs]e|saas|subscriptions?\b|support plans?|consulting|cloud"),
    ("music", r"music|musician|album|artist|bands?\b|songs?\b|tracks?\b|playlist|genre"),
    ("film", r"films?\b|movies?|cinema|dvd|actors?\b|mpaa"),
    ("books", r"books?\b|novel|publisher|isbn|librar"),
    ("food", r"food|beverage|grocer|condiment|seafood|dairy|confection|restaurant|recipe"),
    ("university", r"course|student|instructor|universit|college|semester|faculty|campus"),
    ("blog", r"blog|posts?\b|articles?\b|newsletter"),
    ("crm", r"crm\b|b2b|customer organi[sz]ation|buyer|\bleads?\b|opportunit"),
    ("photo", r"photos?\b|images?\b|pictures?\b|galler"),
)

CATEGORIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "software": ("Software Licences", "Support Plans", "Consulting", "Training",
                     "Cloud Services", "Add-ons", "Professional Services", "Subscriptions"),
        "film": FILM_GENRES,
        "music": ("Rock", "Jazz", "Metal", "Alternative & Punk", "Latin", "Blues", "Classical",
                  "Pop", "Soundtrack", "Hip Hop/Rap", "Electronica/Dance", "Reggae",
                  "R&B/Soul", "World", "Country", "Easy Listening"),
        "books": ("Fiction", "Mystery & Thriller", "Science Fiction", "Fantasy", "Romance",
                  "Biography", "History", "Science", "Self-Help", "Business", "Children's",
                  "Young Adult", "Poetry", "Travel", "Cookbooks", "Art & Photography"),
        "food": ("Beverages", "Condiments", "Confections", "Dairy Products", "Grains/Cereals",
                 "Meat/Poultry", "Produce", "Seafood", "Bakery", "Frozen Foods", "Snacks",
                 "Spices"),
        "blog": ("Technology", "Travel", "Food", "Lifestyle", "Business", "Health", "Science",
                 "Culture", "Design", "Programming", "Personal Finance", "Sports", "Opinion",
                 "News", "Tutorials", "Reviews"),
        # a gallery's albums (Piwigo keeps them in ``categories``)
        "photo": ("Holidays", "Family", "Travel", "Landscapes", "Weddings", "Birthdays", "Pets",
                  "Nature", "Portraits", "Architecture", "Friends", "Summer", "Winter",
                  "Concerts", "Street", "Wildlife", "Events", "Kids", "Food", "Black & White",
                  "Road Trip", "Christmas", "Flowers", "Sports", "Archive"),
        "": ("Electronics", "Home & Kitchen", "Clothing", "Books", "Sports & Outdoors", "Beauty",
             "Toys & Games", "Health", "Office Supplies", "Garden", "Automotive", "Grocery",
             "Pet Supplies", "Jewelry", "Tools", "Furniture", "Baby", "Shoes", "Accessories",
             "Appliances", "Crafts"),
    }
)  # fmt: skip

GENRES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "film": ("Drama", "Comedy", "Action", "Thriller", "Horror", "Romance", "Documentary",
                 "Animation", "Science Fiction", "Adventure", "Crime", "Fantasy", "Family",
                 "Mystery", "War", "Western", "Musical", "Biography", "History", "Superhero",
                 "Film Noir", "Martial Arts", "Disaster", "Spy", "Independent",
                 "Romantic Comedy", "Teen", "Sports", "Music", "Mockumentary"),
        "books": ("Literary Fiction", "Mystery", "Thriller", "Science Fiction", "Fantasy",
                  "Romance", "Historical Fiction", "Horror", "Biography", "Memoir", "Poetry",
                  "Young Adult", "Crime", "Essays"),
        "": MUSIC_GENRES,
    }
)  # fmt: skip

MEDIA_TYPES = (
    "MPEG audio file", "Protected AAC audio file", "Protected MPEG-4 video file",
    "Purchased AAC audio file", "AAC audio file", "FLAC audio file", "WAV audio file",
    "Ogg Vorbis audio file", "MPEG-4 video file", "Apple Lossless audio file",
    "AIFF audio file", "Opus audio file", "QuickTime video file", "WebM video file",
)  # fmt: skip

# (name, ISO 639-1 code), most spoken first.
LANGUAGES = (
    ("English", "en"), ("Spanish", "es"), ("French", "fr"), ("German", "de"),
    ("Italian", "it"), ("Japanese", "ja"), ("Mandarin", "zh"), ("Portuguese", "pt"),
    ("Russian", "ru"), ("Arabic", "ar"), ("Hindi", "hi"), ("Korean", "ko"), ("Dutch", "nl"),
    ("Swedish", "sv"), ("Polish", "pl"), ("Turkish", "tr"), ("Greek", "el"), ("Danish", "da"),
    ("Norwegian", "no"), ("Finnish", "fi"), ("Czech", "cs"), ("Hebrew", "he"),
    ("Thai", "th"), ("Vietnamese", "vi"),
)  # fmt: skip

SALES_REGIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "short": ("EMEA", "APAC", "NA", "LATAM", "ANZ", "MEA"),
        "": ("North America", "Europe", "Asia Pacific", "Latin America", "Middle East",
             "Africa", "Eastern", "Western", "Northern", "Southern", "Central"),
    }
)  # fmt: skip

MARKET_SEGMENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "upper": ("AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"),
        "": ("Consumer", "Corporate", "Small Business", "Enterprise", "Home Office",
             "Mid-Market", "Public Sector"),
    }
)  # fmt: skip

SHIP_MODES = ("AIR", "MAIL", "RAIL", "SHIP", "TRUCK", "REG AIR", "FOB")

BUILDINGS = (
    "Watson", "Taylor", "Packard", "Painter", "Main Hall", "Science Center", "Library",
    "Engineering Hall", "Student Union", "Humanities Building", "Arts Center", "Gymnasium",
    "Chemistry Building", "Physics Hall", "Business School", "Law Building", "Music Hall",
    "Medical Sciences", "Administration Building", "Innovation Hub",
)  # fmt: skip

# Academic department -> course titles.
COURSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Computer Science": ("Introduction to Programming", "Data Structures", "Algorithms",
                             "Operating Systems", "Database Systems", "Computer Networks",
                             "Machine Learning", "Software Engineering", "Compilers",
                             "Computer Graphics", "Artificial Intelligence"),
        "Mathematics": ("Calculus I", "Calculus II", "Linear Algebra", "Discrete Mathematics",
                        "Probability", "Real Analysis", "Abstract Algebra", "Number Theory",
                        "Differential Equations", "Topology"),
        "Physics": ("Classical Mechanics", "Electromagnetism", "Quantum Mechanics",
                    "Thermodynamics", "Optics", "Astrophysics", "Solid State Physics"),
        "Biology": ("Cell Biology", "Genetics", "Ecology", "Microbiology", "Evolution",
                    "Molecular Biology", "Human Physiology", "Botany"),
        "Chemistry": ("General Chemistry", "Organic Chemistry", "Physical Chemistry",
                      "Biochemistry", "Analytical Chemistry", "Inorganic Chemistry"),
        "History": ("World History", "Medieval Europe", "American History", "Ancient Rome",
                    "The Cold War", "History of Science", "Modern China"),
        "Economics": ("Principles of Microeconomics", "Principles of Macroeconomics",
                      "Econometrics", "Game Theory", "International Trade", "Public Finance"),
        "Finance": ("Corporate Finance", "Investments", "Financial Accounting",
                    "Risk Management", "Derivatives", "Personal Finance"),
        "Music": ("Music Theory", "Music History", "Orchestration", "Composition",
                  "Jazz Improvisation", "Choir"),
        "English": ("Composition and Rhetoric", "Shakespeare", "Modern Poetry",
                    "Creative Writing", "The Novel", "Literary Theory"),
        "Electrical Engineering": ("Circuit Analysis", "Signals and Systems",
                                   "Digital Logic Design", "Control Systems",
                                   "Power Electronics", "Embedded Systems"),
        "Psychology": ("Introduction to Psychology", "Cognitive Psychology",
                       "Developmental Psychology", "Social Psychology", "Research Methods"),
    }
)  # fmt: skip

DEPARTMENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "university": tuple(COURSES),
        "": COMPANY_DEPARTMENTS,
    }
)  # fmt: skip

# A domain's own vocabulary as a kind of its own (``film_category``), for a lookup table whose
# text names no domain but whose neighbours do (sakila's ``category`` beside ``film_category``).
DOMAIN_KINDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        f"{domain}_{base}": (base, domain)
        for base, values in (("category", CATEGORIES), ("genre", GENRES),
                             ("department", DEPARTMENTS))
        for domain in values
        if domain
    }
)  # fmt: skip
"""Kind name -> (base kind, domain)."""

# Employee titles by department (a few levels each), for employee tables.
JOB_TITLES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Sales": ("Sales Representative", "Account Executive", "Sales Manager",
                  "Inside Sales Representative", "Regional Sales Director", "VP of Sales",
                  "Sales Support Agent"),
        "Engineering": ("Software Engineer", "Senior Software Engineer", "Staff Engineer",
                        "Engineering Manager", "DevOps Engineer", "QA Engineer",
                        "Director of Engineering", "CTO"),
        "Marketing": ("Marketing Coordinator", "Marketing Manager", "Content Strategist",
                      "SEO Specialist", "Product Marketing Manager", "CMO"),
        "Customer Support": ("Support Specialist", "Customer Service Representative",
                             "Support Team Lead", "Customer Support Manager"),
        "Finance": ("Accountant", "Financial Analyst", "Controller", "Finance Manager", "CFO",
                    "Accounts Payable Clerk"),
        "Human Resources": ("HR Generalist", "Recruiter", "HR Manager", "Talent Partner",
                            "Payroll Specialist"),
        "Operations": ("Operations Analyst", "Operations Manager", "Office Manager", "COO",
                       "General Manager"),
        "Information Technology": ("IT Staff", "IT Manager", "Systems Administrator",
                                   "Network Engineer", "Help Desk Technician"),
        "Product": ("Product Manager", "Senior Product Manager", "Product Owner",
                    "UX Designer", "Head of Product"),
        "Legal": ("Legal Counsel", "Paralegal", "General Counsel", "Compliance Officer"),
        "Logistics": ("Warehouse Associate", "Logistics Coordinator", "Shipping Clerk",
                      "Supply Chain Manager"),
        "Executive": ("CEO", "President", "Chief of Staff", "Executive Assistant"),
    }
)  # fmt: skip

# People a vendor talks to at a customer organisation (CRM contacts, supplier contacts).
B2B_ROLES = (
    "Purchasing Manager", "Procurement Manager", "IT Director", "VP of Sales", "CTO", "CFO",
    "Operations Manager", "Owner", "Sales Manager", "Marketing Manager", "Head of IT",
    "Chief Information Officer", "Office Manager", "Finance Director", "Accounting Manager",
    "Sales Representative", "Buyer", "Senior Buyer", "Category Manager", "Project Manager",
    "Head of Procurement", "Director of Operations", "IT Manager", "CEO", "Managing Director",
    "Business Analyst", "Product Manager", "Engineering Manager", "Marketing Director",
    "Supply Chain Manager",
)  # fmt: skip

# Settings keys by section, for key/value configuration tables.
SETTINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("site", ("title", "description", "url", "timezone", "language", "logo_url",
              "maintenance_mode")),
    ("mail", ("smtp_host", "smtp_port", "smtp_user", "from_address", "from_name",
              "use_tls")),
    ("auth", ("session_timeout", "password_min_length", "max_login_attempts",
              "two_factor_required", "allow_signup")),
    ("billing", ("currency", "tax_rate", "invoice_prefix", "trial_days", "grace_period_days")),
    ("ui", ("theme", "items_per_page", "date_format", "default_locale", "show_tips")),
    ("storage", ("driver", "bucket", "max_upload_mb", "allowed_extensions")),
    ("api", ("rate_limit", "timeout_seconds", "base_url", "version")),
    ("cache", ("driver", "ttl_seconds", "prefix")),
    ("notifications", ("email_enabled", "sms_enabled", "digest_frequency")),
    ("features", ("beta_enabled", "new_dashboard", "dark_mode", "export_csv")),
)  # fmt: skip

# What is sold, by domain: category -> (qualifiers, nouns); a product name is a qualifier
# and a noun, so its category agrees with it ("Premium Support Plan" is a Support Plan).
PRODUCT_CATALOGUES: Mapping[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = (
    MappingProxyType(
        {
            "software": (
                ("Software Licences",
                 ("Analytics Suite", "Project Tracker", "Secure VPN", "Password Vault",
                  "Invoice Manager", "Data Sync", "Mail Shield", "Team Chat", "Site Builder",
                  "Code Studio", "Help Desk", "Cloud Backup", "Form Builder", "CRM"),
                 ("Standard Licence", "Professional Licence", "Enterprise Licence",
                  "Annual Subscription", "Perpetual Licence", "Team Licence (10 seats)")),
                ("Support Plans",
                 ("Standard", "Premium", "Enterprise", "24/7", "Business Hours", "Platinum"),
                 ("Support Plan", "Support (Annual)", "Maintenance Plan")),
                ("Consulting",
                 ("Implementation", "Data Migration", "Integration", "Security Audit",
                  "Onboarding", "Architecture Review"),
                 ("Consulting (5 days)", "Package", "Workshop", "Engagement")),
                ("Training",
                 ("Administrator", "End User", "Developer", "Power User"),
                 ("Training Course", "Certification", "Online Training")),
                ("Cloud Services",
                 ("Extra Storage", "Dedicated Instance", "Backup Retention", "SSO"),
                 ("Add-on (1 TB)", "Add-on", "Upgrade")),
            ),
            "food": (
                ("Beverages", ("Organic", "Imported", "Premium", "Classic", "Sparkling"),
                 ("Green Tea", "Espresso Beans", "Lager", "Apple Juice", "Mineral Water",
                  "Darjeeling Tea", "Root Beer")),
                ("Condiments", ("Spicy", "Homemade", "Traditional", "Sweet"),
                 ("Cajun Seasoning", "Barbecue Sauce", "Chutney", "Mustard", "Soy Sauce",
                  "Hot Pepper Sauce")),
                ("Confections", ("Belgian", "Swiss", "Classic", "Gourmet"),
                 ("Chocolate", "Toffee", "Gummy Bears", "Biscuits", "Marzipan")),
                ("Dairy Products", ("Aged", "Fresh", "Creamy", "Smoked"),
                 ("Cheddar", "Mozzarella", "Gorgonzola", "Camembert", "Butter", "Yoghurt")),
                ("Grains/Cereals", ("Wholegrain", "Organic", "Rustic"),
                 ("Rye Bread", "Pasta", "Gnocchi", "Muesli", "Couscous")),
                ("Meat/Poultry", ("Smoked", "Free-Range", "Cured", "Marinated"),
                 ("Sausages", "Chicken Breast", "Pâté", "Ham", "Beef Jerky")),
                ("Produce", ("Dried", "Organic", "Fresh"),
                 ("Apples", "Pears", "Tofu", "Mushrooms", "Tomatoes")),
                ("Seafood", ("Smoked", "Pickled", "Fresh", "Canned"),
                 ("Salmon", "Herring", "Crab Meat", "Shrimp", "Oysters", "Caviar")),
            ),
        }
    )
)  # fmt: skip
