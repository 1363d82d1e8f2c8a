#!/usr/bin/env python3
"""Writes the example traces next to this file. Deterministic (fixed seed), so re-running it changes nothing.

Every column is a fleet total per minute: Invocations summed over all instances, CPUUtilization and
MemoryUtilization summed over all instances (percent; 2 instances at 50 % sum to 100), ApproximateBacklogSize
as the queue length. `simulate` divides them by the capacity in service to get per-instance values.

  diurnal.csv     one day of a real-time endpoint: quiet night, a business-day peak needing 3 instances
  spike.csv       three hours: a 2-minute burst (shorter than target tracking's 3-minute window) and a 25-minute surge
  idle-night.csv  an async endpoint's evening jobs, an idle night (scale to zero) and a morning backlog (scale from zero)
  week.csv        written only with --week PATH: seven diurnal days (10,080 minutes), for the benchmark
"""
import math
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def diurnal_row(rng, minute_of_day):
    hour = minute_of_day / 60.0
    # Night floor of ~300/min, a peak of ~2,600/min at 14:00 UTC.
    shape = 0.5 - 0.5 * math.cos(2 * math.pi * (hour - 2) / 24)
    invocations = 300 + 2300 * shape ** 1.6
    invocations *= 1 + rng.uniform(-0.04, 0.04)
    cpu = invocations * 0.06  # 1,000 invocations a minute keep one instance 60 % busy
    memory = invocations * 0.03
    return invocations, cpu, memory


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for time, values in rows:
            f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ") + "," + ",".join(f"{v:.1f}" for v in values) + "\n")


def diurnal(start, days, seed):
    rng = random.Random(seed)
    rows = []
    for m in range(days * 1440):
        rows.append((start + timedelta(minutes=m), diurnal_row(rng, m % 1440)))
    return rows


def spike(start):
    rng = random.Random(2)
    rows = []
    for m in range(180):
        invocations = 600 * (1 + rng.uniform(-0.03, 0.03))
        if 40 <= m < 42:
            invocations = 5000
        if 100 <= m < 125:
            invocations = 2500
        rows.append((start + timedelta(minutes=m), (invocations, invocations * 0.06, invocations * 0.03)))
    return rows


def idle_night(start):
    rng = random.Random(3)
    rows = []
    for m in range(12 * 60):
        hour = m / 60.0
        if hour < 3:
            backlog = 40 + rng.uniform(-5, 5)      # evening jobs
        elif hour < 4:
            backlog = max(0.0, 40 * (4 - hour) - 5)  # draining
        elif hour < 10:
            backlog = 0.0                           # idle night
        else:
            backlog = 25 + rng.uniform(-3, 3)       # morning work arrives
        rows.append((start + timedelta(minutes=m), (backlog,)))
    return rows


def main():
    day = datetime(2026, 11, 2, tzinfo=timezone.utc)
    header = ["timestamp", "Invocations", "CPUUtilization", "MemoryUtilization"]
    if len(sys.argv) == 3 and sys.argv[1] == "--week":
        write(sys.argv[2], header, diurnal(day, 7, 7))
        return
    write(HERE / "diurnal.csv", header, diurnal(day, 1, 1))
    write(HERE / "spike.csv", header, spike(day.replace(hour=9)))
    write(HERE / "idle-night.csv", ["timestamp", "ApproximateBacklogSize"], idle_night(day.replace(hour=18)))


if __name__ == "__main__":
    main()
