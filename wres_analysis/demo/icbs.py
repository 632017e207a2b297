"""England's 42 integrated care boards (ICBs), each in its NHS England region, for the demo.

The names and regions are those of the 42 ICBs established on 1 July 2022 (Health and Care
Act 2022). The codes are **placeholders** (``Q01`` to ``Q42``, numbered in region order), not
the ICBs' ODS codes: the demo's trusts are fictional, and a placeholder code cannot be taken
for a real one's. Real data carry the ODS codes (``QMJ`` for North Central London, ...).
"""

from __future__ import annotations

from wres_analysis.contract import REGIONS

__all__ = ["ICBS", "ICB_NAMES"]

#: Each region's ICBs, by their place names ("NHS <name> Integrated Care Board").
_BY_REGION: dict[str, tuple[str, ...]] = {
    "East of England": (
        "Bedfordshire, Luton and Milton Keynes",
        "Cambridgeshire and Peterborough",
        "Hertfordshire and West Essex",
        "Mid and South Essex",
        "Norfolk and Waveney",
        "Suffolk and North East Essex",
    ),
    "London": (
        "North Central London",
        "North East London",
        "North West London",
        "South East London",
        "South West London",
    ),
    "Midlands": (
        "Birmingham and Solihull",
        "Black Country",
        "Coventry and Warwickshire",
        "Derby and Derbyshire",
        "Herefordshire and Worcestershire",
        "Leicester, Leicestershire and Rutland",
        "Lincolnshire",
        "Northamptonshire",
        "Nottingham and Nottinghamshire",
        "Shropshire, Telford and Wrekin",
        "Staffordshire and Stoke-on-Trent",
    ),
    "North East and Yorkshire": (
        "Humber and North Yorkshire",
        "North East and North Cumbria",
        "South Yorkshire",
        "West Yorkshire",
    ),
    "North West": (
        "Cheshire and Merseyside",
        "Greater Manchester",
        "Lancashire and South Cumbria",
    ),
    "South East": (
        "Buckinghamshire, Oxfordshire and Berkshire West",
        "Frimley",
        "Hampshire and Isle of Wight",
        "Kent and Medway",
        "Surrey Heartlands",
        "Sussex",
    ),
    "South West": (
        "Bath and North East Somerset, Swindon and Wiltshire",
        "Bristol, North Somerset and South Gloucestershire",
        "Cornwall and the Isles of Scilly",
        "Devon",
        "Dorset",
        "Gloucestershire",
        "Somerset",
    ),
}

#: ``(code, name, region)`` of every ICB, in region order; codes are placeholders.
ICBS: tuple[tuple[str, str, str], ...] = tuple(
    (f"Q{number:02d}", f"NHS {place} Integrated Care Board", region)
    for number, (region, place) in enumerate(
        ((region, place) for region in REGIONS for place in _BY_REGION[region]), start=1
    )
)

#: ICB code to name.
ICB_NAMES: dict[str, str] = {code: name for code, name, _ in ICBS}
