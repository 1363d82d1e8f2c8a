"""When an Application Auto Scaling scheduled action runs, as the AWS documentation defines its schedules.

Reference: PutScheduledAction `Schedule`, `Timezone`, `StartTime`, `EndTime` (Application Auto Scaling API
reference) and "Schedule recurring scaling actions using cron expressions" (Application Auto Scaling User
Guide):

  at(yyyy-mm-ddThh:mm:ss)   once, at that wall-clock time in `Timezone` (UTC when unset)
  rate(value unit)          every `value` minute(s) | hour(s) | day(s)
  cron(Min Hour DoM Mon DoW Year)
                            six fields, evaluated in `Timezone` (UTC when unset); Min 0-59, Hour 0-23,
                            DoM 1-31 with `? L W`, Mon 1-12 or JAN-DEC, DoW 1-7 (1 = Sunday) or SUN-SAT with
                            `? L #`, Year 1970-2199; `, - * /` everywhere; one of DoM and DoW must be `?`.
  StartTime / EndTime       "they form the boundaries for when the recurring action starts and stops".

Not stated by AWS, chosen here and kept simple: a rate schedule counts its periods from StartTime, or from
the moment the action was created when StartTime is unset, and first runs one period after that.
"""

import calendar
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)}
DAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


class ScheduleError(ValueError):
    """An expression AWS would reject with a ValidationException."""


def parse(expression, tz_name=None):
    """A schedule object with `latest(after, until, created)`: its last run in (after, until], or None."""
    zone = _zone(tz_name)
    m = re.fullmatch(r"at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)", expression or "")
    if m:
        try:
            local = datetime(*map(int, m.groups()))
        except ValueError as e:
            raise ScheduleError(f"invalid at() time in {expression!r}: {e}") from e
        return At(local.replace(tzinfo=zone).astimezone(timezone.utc))
    m = re.fullmatch(r"rate\((\d+) (\w+)\)", expression or "")
    if m:
        value, unit = int(m.group(1)), m.group(2)
        if value < 1 or unit not in RATE_UNITS or (value == 1) != (not unit.endswith("s")):
            raise ScheduleError(f"invalid rate expression {expression!r}")
        return Rate(timedelta(seconds=value * RATE_UNITS[unit]))
    m = re.fullmatch(r"cron\((.*)\)", expression or "")
    if m:
        return Cron(m.group(1), zone)
    raise ScheduleError(f"schedule {expression!r} is not an at(), rate() or cron() expression")


def _zone(name):
    if not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except Exception as e:  # ZoneInfoNotFoundError, or a name that is not a path
        raise ScheduleError(f"unknown time zone {name!r}") from e


class At:
    def __init__(self, when):
        self.when = when

    def latest(self, after, until, created):
        return self.when if after < self.when <= until else None


class Rate:
    def __init__(self, period):
        self.period = period

    def latest(self, after, until, created):
        if until <= created:
            return None
        runs = (until - created) // self.period
        last = created + runs * self.period
        return last if runs >= 1 and last > after else None


class Cron:
    def __init__(self, text, zone):
        fields = text.split()
        if len(fields) != 6:
            raise ScheduleError(f"cron({text}) needs six fields: Minutes Hours Day-of-month Month Day-of-week Year")
        self.text, self.zone = text, zone
        minute, hour, dom, month, dow, year = fields
        if (dom == "?") == (dow == "?"):
            raise ScheduleError(f"cron({text}): one of Day-of-month and Day-of-week must be '?', not both")
        self.minutes = _values(minute, 0, 59, {})
        self.hours = _values(hour, 0, 23, {})
        self.months = _values(month, 1, 12, MONTHS)
        self.years = _values(year, 1970, 2199, {})
        self.dom = None if dom == "?" else _day_of_month(dom, text)
        self.dow = None if dow == "?" else _day_of_week(dow, text)

    def matches(self, local):
        if local.minute not in self.minutes or local.hour not in self.hours:
            return False
        if local.month not in self.months or local.year not in self.years:
            return False
        day_test = self.dom if self.dom is not None else self.dow
        return day_test(local.date())

    def latest(self, after, until, created):
        """Walks back minute by minute from `until`; cheap because a test's clock moves by hours, not years."""
        t = until.replace(second=0, microsecond=0)
        lower = max(after, created)
        while t > lower:
            if self.matches(t.astimezone(self.zone)):
                return t
            t -= timedelta(minutes=1)
        return None


def _values(field, low, high, names):
    out = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = _number(step_text, 1, high, {})
            if part == "*":
                part = f"{low}-{high}"
            elif "-" not in part:
                part = f"{part}-{high}"
        if part == "*":
            out.update(range(low, high + 1))
        elif "-" in part:
            a, b = (_number(x, low, high, names) for x in part.split("-", 1))
            span = list(range(a, b + 1)) if a <= b else list(range(a, high + 1)) + list(range(low, b + 1))
            out.update(span[::step])
        else:
            out.add(_number(part, low, high, names))
    return out


def _number(text, low, high, names):
    value = names.get(text.upper()) if text.upper() in names else (int(text) if text.isdigit() else None)
    if value is None or not low <= value <= high:
        raise ScheduleError(f"cron value {text!r} is outside {low}-{high}")
    return value


def _aws_weekday(day):
    return (day.weekday() + 1) % 7 + 1  # Python: Monday 0 .. Sunday 6; AWS: Sunday 1 .. Saturday 7


def _last_day(day):
    return calendar.monthrange(day.year, day.month)[1]


def _day_of_month(field, text):
    if field == "L":
        return lambda day: day.day == _last_day(day)
    if field == "LW":
        return lambda day: day == _nearest_weekday(day, _last_day(day))
    m = re.fullmatch(r"(\d{1,2})W", field)
    if m:
        target = _number(m.group(1), 1, 31, {})
        return lambda day: target <= _last_day(day) and day == _nearest_weekday(day, target)
    days = _values(field, 1, 31, {})
    return lambda day: day.day in days


def _nearest_weekday(day, target):
    """The weekday nearest to day `target` of the month of `day`, without leaving the month."""
    d = day.replace(day=target)
    if d.weekday() == 5:  # Saturday: Friday, or Monday when the 1st is a Saturday
        return d - timedelta(days=1) if target > 1 else d + timedelta(days=2)
    if d.weekday() == 6:  # Sunday: Monday, or Friday when Sunday is the month's last day
        return d + timedelta(days=1) if target < _last_day(d) else d - timedelta(days=2)
    return d


def _day_of_week(field, text):
    if field == "L":
        return lambda day: _aws_weekday(day) == 7
    m = re.fullmatch(r"(\w+)L", field)
    if m:
        weekday = _number(m.group(1), 1, 7, DAYS)
        return lambda day: _aws_weekday(day) == weekday and day.day + 7 > _last_day(day)
    m = re.fullmatch(r"(\w+)#([1-5])", field)
    if m:
        weekday, nth = _number(m.group(1), 1, 7, DAYS), int(m.group(2))
        return lambda day: _aws_weekday(day) == weekday and (day.day - 1) // 7 + 1 == nth
    days = _values(field, 1, 7, DAYS)
    return lambda day: _aws_weekday(day) in days


def instant(value):
    """A StartTime/EndTime as the SDKs send it (epoch seconds, or an ISO 8601 string) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def last_run(expression, tz_name, start_time, end_time, created, after, until):
    """The latest time in (after, until] at which the action runs, within [StartTime, EndTime] and not before
    the action existed (`created`); None if it does not run in that span."""
    schedule = parse(expression, tz_name)
    start, end = instant(start_time), instant(end_time)
    if isinstance(schedule, Rate):
        created = start or created
    else:
        created = max(created, start - timedelta(microseconds=1)) if start else created
    if end is not None:
        until = min(until, end)
    if until <= after:
        return None
    return schedule.latest(after, until, created)
