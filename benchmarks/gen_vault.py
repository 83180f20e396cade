"""Write a deterministic synthetic vault of N realistic contacts, for the benchmarks.

    python benchmarks/gen_vault.py 10000 /tmp/vault-10k

Every contact note has a 20-line front matter (the fields people really keep, plus a couple of
keys of their own), a short free-text section and a ``## Log`` of 10–30 dated interactions, some
linking other contacts; the journal has one meeting note per ~20 contacts.  The same N always
gives byte-identical files (a seeded generator, no clock), so timings compare across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

FIRST = ("Ada Grace Alan Barbara Claude Donald Edsger Frances Guido Hedy Ivan John Katherine "
         "Linus Margaret Niklaus Olga Peter Radia Sophie Tim Ursula Vint Wendy Xavier Yukihiro "
         "Zoë Amara Bjørn Chiara Dmitri Elif Farah Gustavo Hana Imani Jorge Kenji Leila Mateo "
         "Nadia Oskar Priya Quentin Rosa Santiago Tariq Uma Valentina Wei Yara").split()
LAST = ("Lovelace Hopper Turing Liskov Shannon Knuth Dijkstra Allen Rossum Lamarr Sutherland "
        "Backus Johnson Torvalds Hamilton Wirth Ladyzhenskaya Naur Perlman Wilson Berners-Lee "
        "LeGuin Cerf Hall Leroy Matsumoto Okafor Andersen Rossi Petrov Yilmaz Haddad Silva Sato "
        "Mensah Herrera Tanaka Karimi Vargas Novak Lindqvist Sharma Dubois Moreno Castillo Aziz "
        "Iyer Costa Zhang Okonkwo Kowalski").split()
COMPANIES = ("Acme Analytical Engines Initech Globex Umbrella Hooli Stark Wayne Tyrell Cyberdyne "
             "Aperture Soylent Wonka Vandelay Oscorp").split()
ROLES = ("CTO", "Engineer", "Researcher", "Designer", "Product lead", "Founder", "Investor",
         "Professor", "Recruiter", "Data scientist")
FIELDS = ("software", "biology", "finance", "design", "climate tech", "education", "medicine",
          "law", "journalism", "robotics")
CITIES = ("Berlin", "Lisbon", "Nairobi", "São Paulo", "Tokyo", "Toronto", "Oslo", "Pune",
          "Melbourne", "Bogotá")
INTERESTS = ("chess", "climbing", "jazz", "sailing", "pottery", "running", "poetry", "go",
             "gardening", "photography", "cycling", "cooking")
TAGS = ("investor", "mentor", "alumni", "conference", "hiring", "client", "friend", "speaker")
TIERS = ("critical", "close", "close", "network", "network", "network", "network", "archive")
KINDS = ("coffee", "call", "email", "lunch", "meeting", "message", "video", "dinner", "walk",
         "conference")
TOPICS = ("talked about the new project", "swapped notes on hiring",
          "asked about the move to {city}", "intro to [[{other}]] #gave",
          "they sent a paper on {interest} #got", "planned a workshop", "caught up after the trip",
          "discussed the {company} offer", "followed up on the grant", "met at the meetup")

TOML = """\
[me]
name = "Sam Example"
field = "software"
interests = ["chess", "climate tech"]
"""

START = dt.date(2019, 1, 1)
SPAN_DAYS = (dt.date(2026, 11, 1) - START).days


def person_ids(n: int) -> list[tuple[str, str]]:
    """(id, name) of every contact: unique, stable for a given n."""
    out = []
    for i in range(n):
        first = FIRST[i % len(FIRST)]
        last = LAST[(i // len(FIRST)) % len(LAST)]
        name = f"{first} {last}"
        suffix = i // (len(FIRST) * len(LAST))
        if suffix:
            name += f" {suffix + 1}"
        slug = name.lower().replace("ø", "o").replace("ë", "e").replace(" ", "-")
        out.append((slug, name))
    return out


def day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(SPAN_DAYS))


def person_note(rng: random.Random, i: int, people: list[tuple[str, str]]) -> str:
    pid, name = people[i]
    first, last = name.split(" ", 1)

    def other() -> str:
        return people[rng.randrange(len(people))][0]

    company, city = rng.choice(COMPANIES), rng.choice(CITIES)
    fm = [
        f"name: {name}",
        f"aliases: [{first}]",
        f"tier: {rng.choice(TIERS)}",
        f"company: {company}",
        f"role: {rng.choice(ROLES)}",
        f"field: {rng.choice(FIELDS)}",
        f"location: {city}",
        f"emails: [{pid}@example.org]",
        f'phones: ["+1 555 {rng.randrange(1000, 9999)}"]',
        f"links: [https://example.org/{pid}]",
        f"tags: [{', '.join(rng.sample(TAGS, 2))}]",
        f"interests: [{', '.join(rng.sample(INTERESTS, 3))}]",
        f"agenda: ask about {rng.choice(INTERESTS)}",
        f"birthday: {1950 + rng.randrange(50)}-{rng.randrange(1, 13):02d}-"
        f"{rng.randrange(1, 29):02d}",
        f"met: {day(rng).isoformat()}",
        f"met_via: {rng.choice(('a conference', 'work', 'a friend', 'university'))}",
        f'introduced_by: "[[{other()}]]"',
        f'knows: ["[[{other()}]]", "[[{other()}]]"]',
        f"linkedin: https://linkedin.example/in/{pid}",
        f"pronouns: {rng.choice(('she/her', 'he/him', 'they/them'))}",
    ]
    assert len(fm) == 20
    log = []
    for _ in range(rng.randint(10, 30)):
        topic = rng.choice(TOPICS).format(city=city, other=other(), company=company,
                                          interest=rng.choice(INTERESTS))
        log.append((day(rng), f"{rng.choice(KINDS)}: {topic}"))
    log.sort()
    lines = ["---", *fm, "---", "", f"# {name}", "",
             f"{first} works on {rng.choice(FIELDS)} at {company}; we share an interest in "
             f"{rng.choice(INTERESTS)}.", "", "## Log",
             *(f"- {d.isoformat()} {text}" for d, text in log), ""]
    return "\n".join(lines)


def journal_note(rng: random.Random, when: dt.date, people: list[tuple[str, str]]) -> str:
    lines = ["---", f"date: {when.isoformat()}", f"title: Meetup {when.isoformat()}", "---", "",
             "# Notes", ""]
    for _ in range(rng.randint(3, 8)):
        who = people[rng.randrange(len(people))]
        lines.append(f"- talked with [[{who[0]}]] about {rng.choice(INTERESTS)}")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path) -> None:
    rng = random.Random(f"netnotes-bench-{n}")
    people = person_ids(n)
    (out / "people").mkdir(parents=True, exist_ok=True)
    (out / "journal").mkdir(parents=True, exist_ok=True)
    (out / "netnotes.toml").write_text(TOML, encoding="utf-8")
    for i, (pid, _) in enumerate(people):
        (out / "people" / f"{pid}.md").write_text(person_note(rng, i, people), encoding="utf-8")
    used: set[dt.date] = set()
    for _ in range(max(1, n // 20)):
        when = day(rng)
        while when in used:
            when += dt.timedelta(days=1)
        used.add(when)
        (out / "journal" / f"{when.isoformat()}.md").write_text(
            journal_note(rng, when, people), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of contacts")
    ap.add_argument("out", type=Path, help="folder to write (must not exist or be empty)")
    args = ap.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"gen_vault: {args.out} is not empty", file=sys.stderr)
        return 1
    generate(args.n, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
