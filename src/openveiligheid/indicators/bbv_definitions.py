"""The BBV safety indicators as data: what `bbv.ensure_bbv_indicators` and the data migration
that adds them to existing plans both create. Plain values only, so a migration can use them."""

# Sources: (name, kind, url)
POLICE = ("Politie / CBS, geregistreerde criminaliteit", "police", "https://data.politie.nl")
HALT = ("Bureau Halt", "partner", "https://www.halt.nl")
CBS_POPULATION = ("CBS, bevolking", "statistics", "https://opendata.cbs.nl")

# Counted series: (slug, name, source, definition). Slugs start with "bbv-" so they never clash
# with an indicator of the plan itself.
INHABITANTS = "bbv-inwoners"
YOUTHS = "bbv-jongeren-12-17"
BBV_SERIES = (
    (
        INHABITANTS,
        "Inwoners",
        CBS_POPULATION,
        "Aantal inwoners van de gemeente op 1 januari (CBS, bevolking).",
    ),
    (
        YOUTHS,
        "Jongeren van 12 tot en met 17 jaar",
        CBS_POPULATION,
        "Aantal inwoners van 12 tot en met 17 jaar op 1 januari (CBS, bevolking naar leeftijd).",
    ),
    (
        "bbv-verwijzingen-halt",
        "Verwijzingen Halt",
        HALT,
        "Aantal verwijzingen naar Halt van jongeren uit de gemeente in het jaar.",
    ),
    (
        "bbv-winkeldiefstallen",
        "Winkeldiefstallen",
        POLICE,
        "Geregistreerde winkeldiefstallen (soort misdrijf 1.2.4 Winkeldiefstal) in het jaar.",
    ),
    (
        "bbv-geweldsmisdrijven",
        "Geweldsmisdrijven",
        POLICE,
        "Geregistreerde geweldsmisdrijven (geweld- en seksuele misdrijven: mishandeling, "
        "bedreiging, openlijk geweld, straatroof, overval, zeden) in het jaar.",
    ),
    (
        "bbv-diefstallen-uit-woning",
        "Diefstallen uit woning",
        POLICE,
        "Geregistreerde diefstallen en inbraken uit woning (1.1.1 Diefstal/inbraak woning) "
        "in het jaar.",
    ),
    (
        "bbv-vernielingen",
        "Vernielingen en beschadigingen in de openbare ruimte",
        POLICE,
        "Geregistreerde vernielingen en beschadigingen (2.2.1 Vernieling/zaakbeschadiging) "
        "in de openbare ruimte in het jaar.",
    ),
)
# Rates: (slug, name, numerator slug, denominator slug)
BBV_RATES = (
    (
        "bbv-verwijzingen-halt-per-1000-jongeren",
        "Verwijzingen Halt per 1.000 jongeren (12-17 jaar)",
        "bbv-verwijzingen-halt",
        YOUTHS,
    ),
    (
        "bbv-winkeldiefstallen-per-1000",
        "Winkeldiefstallen per 1.000 inwoners",
        "bbv-winkeldiefstallen",
        INHABITANTS,
    ),
    (
        "bbv-geweldsmisdrijven-per-1000",
        "Geweldsmisdrijven per 1.000 inwoners",
        "bbv-geweldsmisdrijven",
        INHABITANTS,
    ),
    (
        "bbv-diefstallen-uit-woning-per-1000",
        "Diefstallen uit woning per 1.000 inwoners",
        "bbv-diefstallen-uit-woning",
        INHABITANTS,
    ),
    (
        "bbv-vernielingen-per-1000",
        "Vernielingen en beschadigingen in de openbare ruimte per 1.000 inwoners",
        "bbv-vernielingen",
        INHABITANTS,
    ),
)
PER = 1000
RATE_DEFINITION = "{numerator} per {per} {denominator}, berekend uit de metingen van beide reeksen."
BBV_RATE_SLUGS = tuple(slug for slug, *_rest in BBV_RATES)
