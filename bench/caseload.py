"""A synthetic caseload CSV for the batch bench: ``python -m bench.caseload N out.csv``.

Columns as a case system exports them: a client number, the inputs of kampen/dagbesteding in
Dutch text (ja/nee, decimal comma), one row in a thousand with a mistake (reported in its row)."""
import random
import sys


def write(n: int, path: str, seed: int = 5) -> None:
    rnd = random.Random(seed)
    groups = ["VG", "LG", "NAH", "GGZ", "V&V", "ZG"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("Clientnummer;Doelgroep;Groepsgrootte;Problematiek;Rolstoel\n")
        for i in range(n):
            size = str(rnd.randint(1, 16)) if rnd.random() < 0.9 else f"{rnd.randint(1, 15)},5"
            if i % 1000 == 999:
                size = "veel"
            f.write(f"C{i:07d};{rnd.choice(groups)};{size};{rnd.choice(['geen', 'PG', 'somatisch', ''])};"
                    f"{rnd.choice(['ja', 'nee', ''])}\n")


if __name__ == "__main__":
    write(int(sys.argv[1]), sys.argv[2])
