"""Citation texts shared by the issue-16 content scripts (Bron = title and section; Bronbestand = file)."""
import datetime as dt

K15 = "Beleidsregels Wmo Kampen 2015"
MH = "Handleiding begeleiding, dagbesteding en kortdurend verblijf Midden-Holland, versie 2.0 (29 april 2016)"
A18 = "Handleiding Wmo-ondersteuning voor volwassenen Almere, versie 1 mei 2018"
A19 = "Beleidsregels maatwerkvoorzieningen Wmo 2015 en Jeugdwet Almere 2019"
F0, F1, F3, F4 = ("000_54ae8ee573256017.txt", "001_658ef4532d1c52ba.txt", "003_be52d6ecc0674bec.txt",
                  "004_2f97d14a6c4af3f7.txt")
MH_META = ("Handleiding begeleiding, dagbesteding en kortdurend verblijf MH, versie 2.0, 29 april 2016, regio "
           "Midden-Holland; bijlage bij de Nadere regels Wmo 2017 (004_2f97d14a6c4af3f7.txt). Geldig vanaf = de "
           "versiedatum van de handleiding (29 april 2016, op het titelblad). De handleiding is de bijlage bij de "
           "Nadere regels Wmo 2017; de datum waarop die Nadere regels zijn vastgesteld of in werking traden staat "
           "niet in de bron, dus het werkelijke begin van de werking ligt vermoedelijk later (in 2017).")
K15_META = ("Beleidsregels Wet maatschappelijke ondersteuning gemeente Kampen 2015 (citeertitel: 'Beleidsregels "
            "maatschappelijke ondersteuning Kampen 2015'), vastgesteld door B&W op 12 mei 2015; volgens §8.2 in "
            "werking op de dag na bekendmaking, die datum staat niet in de tekst (003_be52d6ecc0674bec.txt)")


def G(name, type_, allowed=None, default=None, unit=None, desc=None, out=False):
    return (name, type_, allowed, default, unit, desc, out)


def date(y, m, d):
    return dt.datetime(y, m, d)
