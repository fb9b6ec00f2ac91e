"""Built-in vocabularies the offline provider draws from where Faker has no matching list.

Faker knows people, companies and places per locale, but not department names, product names,
order statuses or diagnosis codes. These short curated lists fill that gap. Lists are ordered from
most to least common where the order carries meaning, because the value pools weight early
entries more heavily.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CATEGORIES",
    "COUNTRIES",
    "CURRENCIES",
    "DEPARTMENTS",
    "FREE_EMAIL_DOMAINS",
    "ICD10_CODES",
    "INDUSTRIES",
    "JSON_KEYS",
    "PRODUCT_ADJECTIVES",
    "PRODUCT_CATALOGUE",
    "PRODUCT_MATERIALS",
    "PRODUCT_NOUNS",
    "SOFTWARE_EDITIONS",
    "SOFTWARE_PRODUCTS",
    "STATUSES",
    "TIERS",
]

DEPARTMENTS = (
    "Sales", "Engineering", "Marketing", "Customer Support", "Finance", "Human Resources",
    "Operations", "Product", "Legal", "Information Technology", "Research and Development",
    "Procurement", "Quality Assurance", "Business Development", "Logistics", "Administration",
    "Accounting", "Security", "Facilities", "Data Science", "Design", "Compliance",
    "Customer Success", "Training", "Public Relations",
)  # fmt: skip

INDUSTRIES = (
    "Software", "Retail", "Healthcare", "Financial Services", "Manufacturing", "Education",
    "Real Estate", "Telecommunications", "Construction", "Hospitality", "Transportation",
    "Energy", "Insurance", "Media", "Consulting", "Automotive", "Pharmaceuticals",
    "Food and Beverage", "Agriculture", "Logistics", "Government", "Nonprofit", "Biotechnology",
    "Aerospace", "Entertainment", "Legal Services", "Utilities", "E-commerce", "Marketing",
    "Chemicals",
)  # fmt: skip

CATEGORIES = (
    "Electronics", "Home & Kitchen", "Clothing", "Books", "Sports & Outdoors", "Beauty",
    "Toys & Games", "Health", "Office Supplies", "Garden", "Automotive", "Grocery",
    "Pet Supplies", "Jewelry", "Music", "Tools", "Furniture", "Software", "Baby", "Shoes",
    "Accessories", "Appliances", "Movies", "Video Games", "Crafts",
)  # fmt: skip

TIERS = ("Standard", "Premium", "Basic", "Enterprise", "Professional", "Trial")

PRODUCT_ADJECTIVES = (
    "Ergonomic", "Rustic", "Sleek", "Smart", "Portable", "Premium", "Compact", "Wireless",
    "Durable", "Lightweight", "Classic", "Modern", "Deluxe", "Heavy Duty", "Eco", "Ultra",
    "Vintage", "Handcrafted", "Adjustable", "Foldable", "Waterproof", "Essential", "Advanced",
    "Professional", "Mini", "Gorgeous", "Practical", "Refined", "Incredible", "Fantastic",
)  # fmt: skip

PRODUCT_MATERIALS = (
    "Steel", "Wooden", "Cotton", "Leather", "Bamboo", "Aluminum", "Ceramic", "Glass",
    "Granite", "Rubber", "Plastic", "Wool", "Silk", "Carbon", "Copper", "Marble", "Linen",
    "Concrete", "Bronze", "Titanium",
)  # fmt: skip

PRODUCT_NOUNS = (
    "Chair", "Table", "Lamp", "Backpack", "Headphones", "Keyboard", "Mug", "Bottle", "Desk",
    "Jacket", "Shoes", "Watch", "Wallet", "Speaker", "Mouse", "Monitor Stand", "Notebook",
    "Pen", "Sofa", "Pillow", "Blanket", "Knife Set", "Pan", "Bag", "Hat", "Gloves", "Bench",
    "Shelf", "Clock", "Bike", "Helmet", "Tent", "Camera", "Charger", "Cable", "Phone Case",
    "Towel", "Plate", "Bowl", "Car Seat",
)  # fmt: skip

# What a shop sells, by category: the nouns of the category and the materials that suit them,
# so a product's name and its category agree ("Wooden Desk" is Furniture, never Beauty).
PRODUCT_CATALOGUE: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Electronics", ("Headphones", "Speaker", "Charger", "Camera", "Keyboard", "Mouse",
                     "Monitor", "Tablet", "Smartwatch", "Router", "Earbuds", "Power Bank"), ()),
    ("Furniture", ("Chair", "Table", "Desk", "Sofa", "Shelf", "Bench", "Bookcase", "Stool",
                   "Nightstand"), ("Wooden", "Oak", "Bamboo", "Steel", "Leather", "Walnut")),
    ("Home & Kitchen", ("Mug", "Pan", "Knife Set", "Bowl", "Plate Set", "Kettle",
                        "Cutting Board", "Blender", "Coffee Grinder", "Towel Set"),
     ("Ceramic", "Steel", "Glass", "Bamboo", "Copper", "Cast Iron")),
    ("Clothing", ("Jacket", "Hoodie", "Scarf", "Gloves", "Hat", "T-Shirt", "Sweater",
                  "Raincoat"), ("Cotton", "Wool", "Linen", "Silk", "Denim", "Fleece")),
    ("Shoes", ("Sneakers", "Boots", "Sandals", "Loafers", "Running Shoes", "Slippers"),
     ("Leather", "Suede", "Canvas")),
    ("Sports & Outdoors", ("Tent", "Backpack", "Bike Helmet", "Yoga Mat", "Water Bottle",
                           "Sleeping Bag", "Trekking Poles"), ("Carbon", "Aluminum", "Nylon")),
    ("Office Supplies", ("Notebook", "Pen Set", "Desk Organizer", "Stapler", "Planner",
                         "Whiteboard"), ("Leather", "Bamboo", "Steel")),
    ("Beauty", ("Face Serum", "Moisturizer", "Lip Balm", "Shampoo", "Hair Dryer",
                "Sunscreen"), ()),
    ("Toys & Games", ("Puzzle", "Board Game", "Building Set", "Plush Bear", "Kite",
                      "Train Set"), ("Wooden",)),
    ("Garden", ("Planter", "Garden Hose", "Pruning Shears", "Watering Can", "Garden Bench",
                "Bird Feeder"), ("Ceramic", "Steel", "Wooden")),
    ("Tools", ("Drill", "Hammer", "Wrench Set", "Screwdriver Set", "Tape Measure", "Saw",
               "Tool Box"), ("Steel", "Titanium")),
    ("Pet Supplies", ("Dog Bed", "Cat Tree", "Leash", "Pet Bowl", "Chew Toy"),
     ("Rubber", "Leather", "Ceramic")),
    ("Jewelry", ("Necklace", "Bracelet", "Ring", "Earrings", "Pendant"),
     ("Silver", "Gold", "Rose Gold")),
    ("Automotive", ("Seat Cover", "Dash Cam", "Floor Mats", "Jump Starter",
                    "Tire Inflator"), ()),
)  # fmt: skip

SOFTWARE_PRODUCTS = (
    "Cloud Backup", "Analytics Suite", "Project Tracker", "Secure VPN", "Photo Editor",
    "Video Studio", "Password Vault", "CRM", "Invoice Manager", "Data Sync", "Mail Shield",
    "Team Chat", "Site Builder", "Code Studio", "Form Builder", "Help Desk",
)  # fmt: skip

SOFTWARE_EDITIONS = ("Pro", "Plus", "Lite", "360", "Enterprise", "Express", "Max", "Basic")

FREE_EMAIL_DOMAINS = (
    ("gmail.com", 0.42), ("yahoo.com", 0.14), ("outlook.com", 0.12), ("hotmail.com", 0.1),
    ("icloud.com", 0.08), ("aol.com", 0.04), ("protonmail.com", 0.03), ("mail.com", 0.03),
    ("gmx.com", 0.02), ("zoho.com", 0.02),
)  # fmt: skip

# Countries of customers, most common first (name, ISO 3166-1 alpha-2).
COUNTRIES = (
    ("United States", "US"), ("United Kingdom", "GB"), ("Germany", "DE"), ("Canada", "CA"),
    ("France", "FR"), ("Australia", "AU"), ("India", "IN"), ("Japan", "JP"), ("Brazil", "BR"),
    ("Netherlands", "NL"), ("Spain", "ES"), ("Italy", "IT"), ("Mexico", "MX"), ("Sweden", "SE"),
    ("Switzerland", "CH"), ("Ireland", "IE"), ("Singapore", "SG"), ("Poland", "PL"),
    ("Belgium", "BE"), ("Norway", "NO"), ("Denmark", "DK"), ("South Africa", "ZA"),
    ("New Zealand", "NZ"), ("Austria", "AT"), ("Portugal", "PT"),
)  # fmt: skip

CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "CNY", "INR", "MXN", "SEK", "BRL")

# Common real ICD-10-CM codes; the generator mixes these with structurally valid ones.
ICD10_CODES = (
    "I10", "E11.9", "J45.909", "E78.5", "F32.9", "M54.5", "J06.9", "K21.9", "F41.1", "N39.0",
    "E66.9", "R51.9", "I25.10", "J44.9", "E03.9", "M17.11", "G43.909", "R10.9", "Z00.00",
    "J02.9", "L20.9", "K58.9", "I48.91", "N18.3", "E55.9", "M79.1", "R05.9", "B34.9", "H10.9",
    "J30.9", "I50.9", "E87.6", "D64.9", "R53.83", "Z23", "M25.561", "G47.00", "F17.210",
    "K59.00", "R07.9",
)  # fmt: skip

# Default status vocabularies, chosen by words in the table name (first match wins).
STATUSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "order": ("Delivered", "Shipped", "Processing", "Pending", "Cancelled", "Returned"),
        "shipment": ("Delivered", "In Transit", "Pending", "Returned"),
        "invoice": ("Paid", "Pending", "Overdue", "Draft", "Void"),
        "payment": ("Completed", "Pending", "Failed", "Refunded"),
        "transaction": ("Completed", "Pending", "Failed", "Refunded"),
        "ticket": ("Closed", "Open", "In Progress", "Resolved", "On Hold"),
        "issue": ("Closed", "Open", "In Progress", "Resolved"),
        "task": ("Done", "To Do", "In Progress", "Blocked"),
        "project": ("Active", "Completed", "Planned", "On Hold", "Cancelled"),
        "appointment": ("Completed", "Scheduled", "Cancelled", "No Show"),
        "lead": ("New", "Contacted", "Qualified", "Lost", "Converted"),
        "opportunit": ("Open", "Won", "Lost", "Negotiation", "Proposal"),
        "deal": ("Open", "Won", "Lost", "Negotiation"),
        "subscription": ("Active", "Cancelled", "Trial", "Past Due", "Expired"),
        "user": ("Active", "Inactive", "Suspended", "Pending"),
        "account": ("Active", "Inactive", "Suspended", "Closed"),
        "employee": ("Active", "On Leave", "Terminated"),
        "": ("Active", "Inactive", "Pending", "Archived"),
    }
)

JSON_KEYS = (
    ("source", ("web", "email", "referral", "ads", "partner", "event")),
    ("channel", ("online", "store", "phone", "mobile")),
    ("tier", ("free", "basic", "pro", "enterprise")),
    ("theme", ("light", "dark", "system")),
    ("language", ("en", "de", "fr", "es", "ja", "pt")),
)

US_STATES: tuple[tuple[str, str], ...] = tuple(
    (abbr, name.replace("_", " "))
    for abbr, name in (
        pair.split("=")
        for pair in (
            "AL=Alabama AK=Alaska AZ=Arizona AR=Arkansas CA=California CO=Colorado "
            "CT=Connecticut DE=Delaware FL=Florida GA=Georgia HI=Hawaii ID=Idaho IL=Illinois "
            "IN=Indiana IA=Iowa KS=Kansas KY=Kentucky LA=Louisiana ME=Maine MD=Maryland "
            "MA=Massachusetts MI=Michigan MN=Minnesota MS=Mississippi MO=Missouri MT=Montana "
            "NE=Nebraska NV=Nevada NH=New_Hampshire NJ=New_Jersey NM=New_Mexico NY=New_York "
            "NC=North_Carolina ND=North_Dakota OH=Ohio OK=Oklahoma OR=Oregon PA=Pennsylvania "
            "RI=Rhode_Island SC=South_Carolina SD=South_Dakota TN=Tennessee TX=Texas UT=Utah "
            "VT=Vermont VA=Virginia WA=Washington WV=West_Virginia WI=Wisconsin WY=Wyoming"
        ).split()
    )
)
"""The 50 US states, abbreviation and name (Faker's lists cannot be zipped, see pools.py)."""
