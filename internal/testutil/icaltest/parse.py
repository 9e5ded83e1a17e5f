# Reads an iCalendar object on stdin with Debian's python3-icalendar (a
# parser this project did not write) and prints what it understood as JSON:
# the calendar's properties, and each VEVENT with its dates (kind "date" or
# "datetime", ISO text; datetimes also converted with the feed's own
# VTIMEZONE and with the system's zoneinfo for the same zone).
import datetime
import json
import sys
from zoneinfo import ZoneInfo

import icalendar

raw = sys.stdin.buffer.read()
cal = icalendar.Calendar.from_ical(raw)
out = {"properties": {k: str(v) for k, v in cal.items()}, "timezones": [], "events": []}
vtz = None
for c in cal.walk():
    if c.name == "VTIMEZONE":
        vtz = c.to_tz()
        out["timezones"].append(str(c["tzid"]))
zone = ZoneInfo(str(cal["x-wr-timezone"])) if "x-wr-timezone" in cal else None


def when(v):
    if isinstance(v, datetime.datetime):
        d = {"kind": "datetime", "value": v.isoformat()}
        if vtz is not None:
            d["vtimezone"] = v.astimezone(vtz).isoformat()
        if zone is not None:
            d["zoneinfo"] = v.astimezone(zone).isoformat()
        return d
    return {"kind": "date", "value": v.isoformat()}


for c in cal.walk("VEVENT"):
    ev = {
        "uid": str(c["uid"]),
        "summary": str(c.get("summary", "")),
        "description": str(c.get("description", "")),
        "location": str(c.get("location", "")),
        "sequence": int(c.get("sequence", -1)),
        "last_modified": c.decoded("last-modified").isoformat() if "last-modified" in c else "",
        "dtstamp": c.decoded("dtstamp").isoformat() if "dtstamp" in c else "",
        "start": when(c.decoded("dtstart")),
        "end": when(c.decoded("dtend")),
        "categories": [str(x) for x in (c.get("categories").cats if c.get("categories") is not None else [])],
    }
    out["events"].append(ev)
json.dump(out, sys.stdout)
