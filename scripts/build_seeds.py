"""Rebuild the dbt reference seeds from the public reference files (country codes, HS, HS→BEC).

Run by a maintainer (`python scripts/build_seeds.py RAW_DIR`, RAW_DIR = the folder holding the raw public
files, e.g. `datahub_country_codes/`, `un_hs_bec_concordance/`); the seeds it writes are committed, so a fresh
clone never needs the raw files. Sources and licences: data/sample/PROVENANCE.md ("Reference seeds").
"""

import csv
import json
import sys
from pathlib import Path

RAW = Path(sys.argv[1]) if len(sys.argv) > 1 else sys.exit("usage: python scripts/build_seeds.py RAW_DIR")
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

# Codes KOSIS uses for former or special territories that ISO 3166-1 no longer lists.
HISTORICAL = {
    "ANT": "Netherlands Antilles",
    "CTE": "Canton and Enderbury Islands",
    "FXX": "France, Metropolitan",
    "JTN": "Johnston Island",
    "MID": "Midway Islands",
    "NHB": "New Hebrides",
    "NTZ": "Neutral Zone",
    "PCI": "Pacific Islands (Trust Territory)",
    "PCZ": "Panama Canal Zone",
    "WAK": "Wake Island",
    "XKX": "Kosovo",
    "YMD": "Yemen People's Republic",
}
# ASEAN members with their accession dates; Timor-Leste joined on 2025-10-26.
ASEAN = {
    "IDN": "1967-08-08",
    "MYS": "1967-08-08",
    "PHL": "1967-08-08",
    "SGP": "1967-08-08",
    "THA": "1967-08-08",
    "BRN": "1984-01-07",
    "VNM": "1995-07-28",
    "LAO": "1997-07-23",
    "MMR": "1997-07-23",
    "KHM": "1999-04-30",
    "TLS": "2025-10-26",
}
# MOTIE's nine markets: the single-country markets plus the six region groups, as the customs nine-partner file
# (data/sample/kcs_monthly_partner/trade_region_*.csv) aggregates them from the reference's member lists.
MOTIE_REGION_KEYS = {"아세안": "ASEAN", "EU": "EU27", "중남미": "LATAM", "중동": "MIDDLE_EAST", "CIS": "CIS"}
# That file's Middle East also counts Egypt and Palestine: with them, its group rebuilds from the all-country customs
# file to the dollar in every month (shared PROVENANCE.md of kcs_country_monthly_2025_2026, check 5).
EXTRA_MEMBERS = {"중동": ["EG", "PS"]}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(name: str, header: list[str], rows: list[list]) -> None:
    with (SEEDS / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def countries() -> dict[str, str]:
    korean = {}
    for r in read_csv(RAW / "kdiplo_kosis_trade" / "iso3c_data.csv"):
        korean.setdefault(r["iso3c"], r["country_kr"])
    rows, iso2_to_iso3 = [], {}
    for r in read_csv(RAW / "datahub_country_codes" / "country-codes.csv"):
        iso3, iso2 = r["ISO3166-1-Alpha-3"].strip(), r["ISO3166-1-Alpha-2"].strip()
        if not iso3:
            continue
        name = r["CLDR display name"] or r["official_name_en"] or r["UNTERM English Short"]
        m49 = r["M49"].strip()
        rows.append(
            [
                iso3,
                iso2,
                m49.zfill(3) if m49 else "",
                name,
                korean.get(iso3, ""),
                r["Region Name"],
                r["Sub-region Name"],
                "current",
            ]
        )
        iso2_to_iso3[iso2] = iso3
    for iso3, name in HISTORICAL.items():
        rows.append([iso3, "", "", name, korean.get(iso3, ""), "", "", "historical"])
    rows.sort()
    write_csv("countries.csv", ["iso3", "iso2", "m49", "name_en", "name_ko", "region", "sub_region", "status"], rows)
    return iso2_to_iso3


def groups(iso2_to_iso3: dict[str, str]) -> None:
    write_csv(
        "partner_groups.csv",
        ["group_code", "name_en", "name_ko", "definition"],
        [
            ["ASEAN", "ASEAN", "아세안", "Member states by accession date (Timor-Leste from 2025-10-26)"],
            ["EU27", "European Union (27)", "EU(27)", "Members since the UK's exit on 2020-02-01"],
            ["LATAM", "Latin America", "중남미", "Customs nation API aggregation, nine-partner file (33 countries)"],
            [
                "MIDDLE_EAST",
                "Middle East",
                "중동",
                "Customs nation API aggregation of the nine-partner file (16 countries, Egypt and Palestine included)",
            ],
            ["CIS", "CIS", "CIS", "MOTIE market group"],
            [
                "LATAM_MOTIE",
                "Latin America (as the releases define it)",
                "중남미(발표 기준)",
                "The trade ministry's (and customs') release definition; members not published here; up to 11 % "
                "above LATAM in 2025",
            ],
            [
                "MIDDLE_EAST_MOTIE",
                "Middle East (as the releases define it)",
                "중동(발표 기준)",
                "The trade ministry's (and customs') release definition; members not published here; about 30 % "
                "below MIDDLE_EAST in 2025",
            ],
            ["CHN_HKG", "China + Hong Kong", "중국+홍콩", "China and its entrepot Hong Kong"],
            [
                "MOTIE9",
                "MOTIE nine major markets",
                "9대 시장",
                "US, China, Japan, India, ASEAN, EU27, Latin America, Middle East, CIS",
            ],
            # a publisher's region known only as published: no members, so never summed from countries
            [
                "NORTH_AMERICA",
                "North America",
                "북미",
                "MOEF / Korea Eximbank overseas direct investment region, as published (no members listed)",
            ],
        ],
    )
    ref = json.loads(
        (RAW / "psicsh_korea_trade_dashboard_ref" / "region_groups_reference.json").read_text(encoding="utf-8")
    )["regions"]

    def members(key: str) -> list[str]:
        return ref[key] + EXTRA_MEMBERS.get(key, [])

    rows = [["ASEAN", c, since, ""] for c, since in ASEAN.items()]
    for key, code in MOTIE_REGION_KEYS.items():
        if code == "ASEAN":
            continue
        rows += [[code, iso2_to_iso3[c], "", ""] for c in members(key)]
    rows += [["CHN_HKG", "CHN", "", ""], ["CHN_HKG", "HKG", "", ""]]
    motie9 = {c for key in ("중국", "미국", "일본", "인도", *MOTIE_REGION_KEYS) for c in members(key)}
    rows += [["MOTIE9", iso2_to_iso3[c], "", ""] for c in sorted(motie9 - {"TL"})]
    rows += [["MOTIE9", "TLS", "2025-10-26", ""]]
    write_csv("partner_group_members.csv", ["group_code", "member_iso3", "valid_from", "valid_to"], sorted(rows))


def hs_and_bec() -> None:
    sections = read_csv(RAW / "datahub_harmonized_system" / "sections.csv")
    chapters = [r for r in read_csv(RAW / "datahub_harmonized_system" / "harmonized-system.csv") if r["level"] == "2"]
    # Chapter 99 (commodities not specified) sits outside the 21 sections.
    sections.append({"section": "NS", "name": "Commodities not specified according to kind"})
    for c in chapters:
        c["section"] = "NS" if c["section"] == "TOTAL" else c["section"]
    write_csv("hs_sections.csv", ["section", "section_name"], [[s["section"], s["name"]] for s in sections])
    write_csv(
        "hs_chapters.csv",
        ["hs2", "section", "description"],
        [[c["hscode"], c["section"], c["description"]] for c in chapters],
    )
    rows = []
    for r in read_csv(RAW / "un_hs_bec_concordance" / "HS2022_to_BEC4.csv"):
        if r["BEC 4"].strip():
            rows.append([r["HS 2022"].zfill(6), r["BEC 4"].strip()])
    # 143 HS subheadings split across two BEC categories (1:n): the pair is the key.
    write_csv("hs6_to_bec4.csv", ["hs6", "bec4"], sorted(set(map(tuple, rows))))
    end_use = {"41": "capital", "521": "capital", "51": "passenger_cars", "321": "motor_spirit"}
    end_use |= {c: "intermediate" for c in ["111", "121", "21", "22", "31", "322", "42", "53"]}
    end_use |= {c: "consumption" for c in ["112", "122", "522", "61", "62", "63"]}
    # The HS 2022 table also uses 32 (processed fuels not split into 321/322) and 7 (n.e.s.).
    end_use |= {"32": "unclassified", "7": "unclassified"}
    write_csv("bec4_end_use.csv", ["bec4", "end_use"], sorted(end_use.items()))


if __name__ == "__main__":
    hs_and_bec()
    groups(countries())
