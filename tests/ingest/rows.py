"""Hand-written source rows for the importer tests (facts only: ids, places, dates,
counts; the short texts are ours, not the sources')."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ceasewatch.ingest import gdelt

UCDP_COLUMNS = (
    "id,year,active_year,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,dyad_name,"
    "side_a_new_id,side_a,side_b_new_id,gwnob,side_b,number_of_sources,source_article,"
    "source_office,source_date,source_headline,source_original,where_prec,where_coordinates,"
    "adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,low,best,high"
).split(",")

ACLED_COLUMNS = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,timestamp,iso3"
).split(",")

ARCHIVE_COLUMNS = (
    "Description,City,Neighborhood,Latitude,Longitude,Reference_Code,Violation_Type,"
    "Recording_Date,Recording_Hour,Recording_Minute,Source,Youtube_ID,Weapons_Used,"
    "URLs_And_News,Page_Title,Video_URL,Database_ID"
).split(",")


def ucdp_row(**changes: str) -> dict[str, str]:
    """The aid convoy at Urum al-Kubra, 19 Sep 2016 (UCDP GED facts)."""
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id="301214",
        year="2016",
        type_of_violence="3",
        side_a="Government of Syria",
        side_b="Civilians",
        source_office="SOHR;Airwars",
        source_date="2016-09-20;2016-09-21",
        source_headline="Air strikes hit aid convoy near Urum al Kubra",
        where_prec="1",
        where_coordinates="Urum al Kubra town",
        adm_1="Aleppo governorate",
        adm_2="Atarib district",
        latitude="36.145",
        longitude="36.9416",
        country="Syria",
        event_clarity="1",
        date_prec="1",
        date_start="2016-09-19",
        date_end="2016-09-19",
        deaths_civilians="21",
        low="21",
        best="21",
        high="21",
    )
    row.update(changes)
    return row


def acled_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(ACLED_COLUMNS, "")
    row.update(
        data_id="1",
        iso="760",
        event_id_cnty="SYR90001",
        event_date="3-May-20",
        year="2020",
        time_precision="1",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Syria (2000-)",
        actor2="Civilians (Syria)",
        country="Syria",
        admin1="Idleb",
        location="Kafr Nobol",
        latitude="35.6139",
        longitude="36.5611",
        geo_precision="1",
        source="SOHR",
        notes="(our own placeholder)",
        fatalities="2",
        timestamp="1589243119",
        iso3="SYR",
    )
    row.update(changes)
    return row


def archive_row(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(ARCHIVE_COLUMNS, "NA")
    row.update(
        Description="air strikes on a market",
        City="ALEPPO",
        Neighborhood="Urum al-Kubra",
        Latitude="36.1449",
        Longitude="36.9417",
        Reference_Code="AL_test1",
        Violation_Type="Unlawful attacks",
        Recording_Date="2016-09-19",
        Source="A local media office",
        Youtube_ID="https://www.youtube.com/watch?v=xxxxxxxxxxx",
        Database_ID="90001",
    )
    row.update(changes)
    return row


def gdelt_row(**changes: str) -> dict[str, str]:
    """An air strike in Aleppo reported on 20 Sep 2016 (a made-up GDELT event)."""
    row = dict.fromkeys(gdelt.COLUMNS, "")
    row.update(
        GLOBALEVENTID="585000001",
        SQLDATE="20160919",
        MonthYear="201609",
        Year="2016",
        FractionDate="2016.7151",
        Actor1Code="SYRMIL",
        Actor1Name="SYRIA",
        Actor1CountryCode="SYR",
        Actor1Type1Code="MIL",
        Actor2Code="CVL",
        Actor2Name="CIVILIAN",
        Actor2Type1Code="CVL",
        IsRootEvent="1",
        EventCode="195",
        EventBaseCode="195",
        EventRootCode="19",
        QuadClass="4",
        GoldsteinScale="-10.0",
        NumMentions="4",
        NumSources="1",
        NumArticles="4",
        AvgTone="-7.5",
        ActionGeo_Type="4",
        ActionGeo_FullName="Aleppo, Halab, Syria",
        ActionGeo_CountryCode="SY",
        ActionGeo_ADM1Code="SY09",
        ActionGeo_Lat="36.2028",
        ActionGeo_Long="37.1586",
        ActionGeo_FeatureID="-1",
        DATEADDED="20160920031500",
        SOURCEURL="https://www.example.org/news/aleppo-strike",
    )
    row.update(changes)
    return row


def to_csv(columns: Iterable[str], rows: Iterable[dict[str, str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def to_tsv_rows(rows: Iterable[dict[str, str]]) -> str:
    """GDELT form: tab-separated, no header."""
    return "".join("\t".join(r[c] for c in gdelt.COLUMNS) + "\n" for r in rows)


def many_ucdp_rows(n: int, *, start_id: int = 500_000, bad_every: int = 0) -> list[dict[str, str]]:
    """``n`` distinct UCDP rows over 2016 in date order (as UCDP exports are), spread over
    Syria (deterministic); every ``bad_every``-th row has a bad date."""
    import datetime as dt

    sides = ["Government of Syria", "IS", "Syrian insurgents", "SDF"]
    out = []
    for k in range(n):
        day = dt.date(2016, 1, 1) + dt.timedelta(days=k * 366 // n)  # in date order
        lat = 33.0 + (k * 37 % 400) / 100.0  # 33.00 .. 36.99
        lon = 36.2 + (k * 53 % 500) / 100.0  # 36.20 .. 41.19
        out.append(
            ucdp_row(
                id=str(start_id + k),
                type_of_violence=str(1 + k % 3),
                side_a=sides[k % 4],
                side_b="Civilians" if k % 3 == 2 else "Syrian insurgents",
                source_headline=("Shelling reported" if k % 2 else "Clashes reported"),
                where_coordinates=f"Place {k % 97} town",
                latitude=f"{lat:.4f}",
                longitude=f"{lon:.4f}",
                date_start=day.isoformat()
                if not (bad_every and k % bad_every == 0)
                else "2016-02-31",
                date_end=day.isoformat(),
                low=str(k % 5),
                best=str(k % 5),
                high=str(k % 5 + 1),
                deaths_civilians=str(k % 5 if k % 3 == 2 else 0),
            )
        )
    return out
