"""The content of the demo data: the municipality, its units, subjects, staff titles, and the
fictional people's names, identity numbers and contact details (``Identities``).

Everything here is fictional. Mobile numbers come from the series the Swedish Post and Telecom
Authority (PTS) reserves for fiction (070-174 06 05 to 070-174 06 99), e-mail addresses use the
example.se and example.com domains. Personal identity numbers are generated with a valid check
digit, so they look real; they are not taken from Skatteverket's list of test numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from .civic import luhn_digit

ORGANISER_NAME = "Åbyholms kommun"
ORGANISATION_NUMBER = f"212000-987{luhn_digit('212000987')}"
TOWN = "Åbyholm"
POSTCODES = ["549 31", "549 32", "549 33", "549 34", "549 40", "549 41"]
STREETS = [
    "Storgatan", "Skolvägen", "Björkvägen", "Lärkstigen", "Ekbacksvägen", "Kyrkogatan",
    "Ängsvägen", "Lindåsvägen", "Granstigen", "Sjövägen", "Smedjegatan", "Rönnvägen",
    "Kvarngatan", "Hagvägen", "Tallvägen", "Solrosvägen", "Prästgårdsvägen", "Mejerigatan",
]  # fmt: skip
PHONE_SERIES = [f"070-174 06 {n:02d}" for n in range(5, 100)]
GUARDIAN_DOMAIN = "example.se"
STAFF_DOMAIN = "example.com"


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    school_unit_code: str
    first_year: int
    last_year: int
    support_module: bool

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


EKBACKEN = UnitSpec("ekbacken", "Ekbackens skola", "41726593", 0, 6, support_module=True)
LINDAS = UnitSpec("lindas", "Lindåsskolan", "83164027", 7, 9, support_module=True)
BJORKANG = UnitSpec("bjorkang", "Björkängsskolan", "29573186", 0, 9, support_module=False)
UNITS = [EKBACKEN, LINDAS, BJORKANG]
CLASS_SIZE = 24  # a year with more pupils than this gets another class


def class_letters(index: int) -> str:
    """The letters of the ``index``-th parallel class of a year: A-Z, then AA, AB ... (7AA)."""
    if index < 0:
        raise ValueError("a class index is never negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# Key (the short name used in group names) -> (code, name). Skolverket's subject codes; NO and SO
# are the local block subjects many schools teach in years 1-6 (Skolverket has no codes for them).
SUBJECTS = {
    "Sv": ("GRGRSVE01", "Svenska"),
    "Sva": ("GRGRSVA01", "Svenska som andraspråk"),
    "Ma": ("GRGRMAT01", "Matematik"),
    "En": ("GRGRENG01", "Engelska"),
    "NO": ("NO", "NO (naturorienterande ämnen)"),
    "SO": ("SO", "SO (samhällsorienterande ämnen)"),
    "Bi": ("GRGRBIO01", "Biologi"),
    "Fy": ("GRGRFYS01", "Fysik"),
    "Ke": ("GRGRKEM01", "Kemi"),
    "Tk": ("GRGRTEK01", "Teknik"),
    "Ge": ("GRGRGEO01", "Geografi"),
    "Hi": ("GRGRHIS01", "Historia"),
    "Re": ("GRGRREL01", "Religionskunskap"),
    "Sh": ("GRGRSAM01", "Samhällskunskap"),
    "Bl": ("GRGRBIL01", "Bild"),
    "Mu": ("GRGRMUS01", "Musik"),
    "Sl": ("GRGRSLJ01", "Slöjd"),
    "Idh": ("GRGRIDR01", "Idrott och hälsa"),
    "Hkk": ("GRGRHKK01", "Hem- och konsumentkunskap"),
    "M2": ("GRGRMSP01", "Moderna språk"),
}
# Modern languages: group name prefix and the share of pupils choosing it (the rest choose none).
LANGUAGES = [("Spa", 0.5), ("Ty", 0.25), ("Fra", 0.15)]
LANGUAGES_FROM_YEAR = 6


def stage(year: int) -> str:
    """Förskoleklass, lågstadiet, mellanstadiet, högstadiet."""
    return "F" if year == 0 else "1-3" if year <= 3 else "4-6" if year <= 6 else "7-9"


# Per stage: subjects taught in a group per class, and who teaches each subject ("class" is the
# class teacher, who is also the class's mentor in years F-6; other keys are teacher pools).
CLASS_SUBJECTS = {
    "F": {},
    "1-3": {
        "Sv": "class", "Ma": "class", "En": "class", "NO": "class", "SO": "class",
        "Idh": "Idh", "Mu": "Mu", "Bl": "Bl", "Sl": "Sl",
    },
    "4-6": {
        "Sv": "class", "SO": "class", "En": "class", "Ma": "MaNO", "NO": "MaNO",
        "Idh": "Idh", "Mu": "Mu", "Bl": "Bl", "Sl": "Sl",
    },
    "7-9": {
        "Sv": "SvSO", "Ge": "SvSO", "Hi": "SvSO", "Re": "SvSO", "Sh": "SvSO",
        "Ma": "MaNO", "Bi": "MaNO", "Fy": "MaNO", "Ke": "MaNO", "Tk": "MaNO", "En": "Sprak",
    },
}  # fmt: skip
# Years 7-9: practical and aesthetic subjects are taught to two classes together ("Idh 8AB").
PAIRED_SUBJECTS = {"Idh": "Idh", "Mu": "Mu", "Bl": "Bl", "Sl": "Sl", "Hkk": "Hkk"}
YEAR_GROUP_POOLS = {"Sva": "Sva", "M2": "Sprak"}
POOL_GROUPS_PER_TEACHER = 10
TEACHER_TITLES = {
    ("class", "F"): "Förskollärare",
    ("class", "1-3"): "Grundlärare F–3",
    ("class", "4-6"): "Grundlärare 4–6",
    ("MaNO", "4-6"): "Grundlärare 4–6, Ma/NO",
    ("MaNO", "7-9"): "Ämneslärare Ma/NO",
    ("SvSO", "7-9"): "Ämneslärare Sv/SO",
    ("Sprak", "7-9"): "Ämneslärare En/moderna språk",
    ("Sprak", "4-6"): "Lärare i moderna språk",
    ("Sva", ""): "Lärare i svenska som andraspråk",
    ("Idh", ""): "Lärare i idrott och hälsa",
    ("Mu", ""): "Musiklärare",
    ("Bl", ""): "Bildlärare",
    ("Sl", ""): "Slöjdlärare",
    ("Hkk", ""): "Lärare i hem- och konsumentkunskap",
}
Pool = tuple[str, str, str]  # (teacher pool, stage, class): the groups one kind of teacher takes


def pool_key(pool: str, stage: str, klass: str) -> Pool:
    """Class teachers take one class, stage-specific pools one stage, the others the whole unit."""
    if (pool, stage) not in TEACHER_TITLES:
        return (pool, "", "")
    return (pool, stage, klass if pool == "class" else "")


PRINCIPAL_TITLE = "Rektor"
ADMIN_TITLE = "Skoladministratör"
HEALTH_TITLES = ["Specialpedagog", "Kurator", "Skolsköterska"]
SHARED_HEALTH_TITLE = "Skolpsykolog"  # one psychologist serves all three units
ANALYST_TITLE = "Kvalitetsutvecklare, barn- och utbildningsförvaltningen"

# Name origins and their share of families; common names in Sweden today.
ORIGINS = [("sv", 0.72), ("fi", 0.05), ("mena", 0.15), ("east", 0.08)]
FAMILY_NAMES = {
    "sv": [
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
        "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
        "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lundgren",
        "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
        "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk",
        "Bergman", "Holm", "Nyström", "Holmberg", "Söderberg", "Nyberg", "Blomqvist", "Åberg",
        "Sundberg", "Ekström", "Hedlund", "Strand",
    ],
    "fi": ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Heikkinen", "Laine", "Koskinen"],
    "mena": [
        "Ali", "Mohamed", "Ahmed", "Hassan", "Hussein", "Yilmaz", "Abdi", "Omar", "Rahimi",
        "Haddad", "Karimi", "Demir", "Ibrahim", "Khalil", "Jafari", "Osman",
    ],
    "east": [
        "Novak", "Nowak", "Wójcik", "Petrović", "Jovanović", "Hodžić", "Kovačević", "Horvat",
        "Marković", "Begić",
    ],
}  # fmt: skip
# (female, male) given names of adults (guardians and staff) and of children, per origin.
ADULT_NAMES = {
    "sv": (
        ["Anna", "Maria", "Karin", "Sara", "Emma", "Johanna", "Linda", "Malin", "Jenny", "Sofia",
         "Elin", "Camilla", "Helena", "Therese", "Petra", "Åsa", "Ida", "Jessica", "Frida",
         "Lisa", "Hanna", "Caroline", "Josefin", "Emelie"],
        ["Johan", "Erik", "Anders", "Fredrik", "Daniel", "Andreas", "Mikael", "Magnus", "Martin",
         "Jonas", "Marcus", "Peter", "Henrik", "Niklas", "Mattias", "Patrik", "David",
         "Christoffer", "Joakim", "Tobias", "Oskar", "Viktor", "Robert", "Stefan"],
    ),
    "fi": (
        ["Sanna", "Tiina", "Minna", "Riikka", "Satu"],
        ["Jari", "Mikko", "Antti", "Timo", "Janne", "Pekka"],
    ),
    "mena": (
        ["Fatima", "Maryam", "Leyla", "Nadia", "Amina", "Rana", "Zeynep", "Samira", "Hodan",
         "Shirin"],
        ["Ahmed", "Hassan", "Mehmet", "Reza", "Karim", "Omar", "Ali", "Mustafa", "Abdullahi",
         "Yousef"],
    ),
    "east": (
        ["Ivana", "Mirela", "Agnieszka", "Jelena", "Amra", "Katarzyna"],
        ["Dragan", "Goran", "Piotr", "Emir", "Marko", "Tomasz"],
    ),
}  # fmt: skip
CHILD_NAMES = {
    "sv": (
        ["Alice", "Olivia", "Astrid", "Maja", "Vera", "Ebba", "Ella", "Wilma", "Alma", "Selma",
         "Saga", "Agnes", "Freja", "Clara", "Elsa", "Alva", "Stella", "Nora", "Signe", "Elvira",
         "Ines", "Ester", "Molly", "Tyra", "Lilly", "Juni"],
        ["Noah", "William", "Hugo", "Lucas", "Liam", "Oliver", "Elias", "Adam", "Alexander", "Leo",
         "Vincent", "Nils", "Theo", "Oscar", "Ludvig", "Matteo", "Viktor", "Isak", "Emil", "Axel",
         "Melvin", "Albin", "Sixten", "Olle", "Charlie", "Otto"],
    ),
    "fi": (["Aino", "Ella", "Sofia", "Linnea"], ["Eetu", "Onni", "Elias", "Leo"]),
    "mena": (
        ["Amira", "Yasmin", "Nour", "Sara", "Leila", "Zahra", "Aya", "Maryam", "Hiba", "Elif",
         "Dilan"],
        ["Ali", "Mohammed", "Omar", "Yusuf", "Adam", "Ibrahim", "Zakaria", "Karim", "Emir",
         "Hamza"],
    ),
    "east": (
        ["Mila", "Ana", "Lena", "Zofia", "Emina", "Lana"],
        ["Luka", "Milan", "Filip", "Jakub", "Amar", "Aleksander"],
    ),
}  # fmt: skip
# Share of pupils of each origin who read Swedish as a second language instead of Swedish.
SVA_SHARE = {"sv": 0.0, "fi": 0.1, "mena": 0.35, "east": 0.25}

# The demo logins: username -> (role, what they see), in the order they are printed.
LOGINS = {
    "rektor": ("Rektor, Ekbackens skola", "alla elever på Ekbackens skola, även skyddad"),
    "larare": (
        "Lärare Ma/NO 4–6, Ekbackens skola",
        "eleverna i sina undervisningsgrupper, inte den med skyddad identitet",
    ),
    "mentor": ("Mentor, Ekbackens skola", "sin klass (med en elev med skyddad identitet)"),
    "specialpedagog": ("Specialpedagog, Ekbackens skola", "alla elever på Ekbackens skola"),
    "kurator": ("Kurator, Lindåsskolan", "alla elever på Lindåsskolan"),
    "admin": ("Skoladministratör, Ekbackens skola", "enhetens elever och grupper, inget stöd"),
    "rektor2": ("Rektor, Björkängsskolan", "enhetens elever; stödmodulen är avslagen"),
    "larare2": ("Lärare, Lindåsskolan", "eleverna i sina undervisningsgrupper"),
    "huvudman": ("Huvudman (analytiker)", "statistik för hela kommunen, inga namn"),
    "dataskydd": ("Dataskyddsombud, huvudmannen", "loggen över vem som sett vad, registerutdrag"),
    "vardnadshavare": ("Vårdnadshavare", "sina två barn på Ekbackens skola"),
    "elev": ("Elev i åk 8, Lindåsskolan", "sin egen sida"),
}


@dataclass
class Identities:
    """Names, personal identity numbers and contact details: unique, and the same for a seed."""

    rng: random.Random
    civic_numbers: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: int = 0

    def weighted(self, options: list[tuple[str, float]]) -> str:
        return self.rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]

    def origin(self) -> str:
        return self.weighted(ORIGINS)

    def family_name(self, origin: str) -> str:
        return self.rng.choice(FAMILY_NAMES[origin])

    def given_name(self, origin: str, female: bool, *, child: bool, taken: list[str]) -> str:
        pool = (CHILD_NAMES if child else ADULT_NAMES)[origin][0 if female else 1]
        return self.rng.choice([n for n in pool if n not in taken] or pool)

    def birthday(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def civic_number(self, born: dt.date, female: bool) -> str:
        """A personal identity number with a valid check digit (odd ninth digit: male)."""
        while True:
            serial = f"{self.rng.randrange(100):02d}{self.rng.randrange(0 if female else 1, 10, 2)}"
            number = f"{born:%Y%m%d}{serial}{luhn_digit(f'{born:%y%m%d}{serial}')}"
            if number not in self.civic_numbers:
                self.civic_numbers.add(number)
                return number

    def email(self, given: str, family_name: str, domain: str) -> str:
        base = f"{_ascii(given)}.{_ascii(family_name)}"
        address, n = f"{base}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{base}{n}@{domain}"
        self.emails.add(address)
        return address

    def phone(self) -> str:
        """The next number of the fiction series; there are only 95, so they repeat."""
        self.phones += 1
        return PHONE_SERIES[(self.phones - 1) % len(PHONE_SERIES)]

    def address(self) -> str:
        street = f"{self.rng.choice(STREETS)} {self.rng.randint(1, 60)}"
        return f"{street}, {self.rng.choice(POSTCODES)} {TOWN}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if c.isascii() and c.isalnum())
