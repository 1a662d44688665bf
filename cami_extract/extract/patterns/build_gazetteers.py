"""Regenerate the generated gazetteers in this folder from the shared source data.

Run from the repository root:

    python cami_extract/extract/patterns/build_gazetteers.py /work/shared/data

Outputs (committed, so nothing is read from outside the package at run time):
  species_cms_2013.csv   <- species/cms_listings_sapi_2013.csv (columns reduced)
  funders_iati_crs.csv   <- funders/iati_crs_channel_codes.csv (organisations only)
The provenance of the inputs is in SOURCES.md next to this script.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SPECIES_COLUMNS = (
    "scientific_name",
    "taxon_rank",
    "class",
    "genus",
    "listing",
    "listing_kind",
    "effective_from",
    "note",
    "common_names_en",
    "common_names_fr",
    "common_names_es",
    "synonyms",
)


GENERIC_CHANNELS = {"Central Government", "Local Government", "Public corporations"}


def build_species(data: Path) -> int:
    src = data / "species" / "cms_listings_sapi_2013.csv"
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (HERE / "species_cms_2013.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=SPECIES_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in SPECIES_COLUMNS})
    return len(rows)


def build_funders(data: Path) -> int:
    src = data / "funders" / "iati_crs_channel_codes.csv"
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    kept = []
    for row in rows:
        code = row["code"]
        # Codes ending in 000/00 are categories ("Donor Government", "Public Sector
        # Institutions"), not organisations that can fund anything.
        if not code.isdigit() or int(code) % 100 == 0 or row["status"] != "active":
            continue
        name = row["name_en"].strip()
        # Generic channel names ("Central Government", "Other public entities in donor
        # country") name a kind of body, not a body: useless as a gazetteer entry.
        if name in GENERIC_CHANNELS or name.lower().startswith("other "):
            continue
        kept.append({"code": code, "name_en": row["name_en"].strip()})
    with (HERE / "funders_iati_crs.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=("code", "name_en"))
        writer.writeheader()
        writer.writerows(kept)
    return len(kept)


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
    print("species rows:", build_species(root))
    print("funder organisations:", build_funders(root))
