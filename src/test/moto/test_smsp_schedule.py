"""Scheduled actions run when Application Auto Scaling would run them."""

import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import smsp_schedule  # noqa: E402
from smsp_schedule import ScheduleError, last_run  # noqa: E402

UTC = timezone.utc


def t(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


CREATED = t("2030-01-01T00:00:00")


class AtExpressions(unittest.TestCase):
    def test_runs_once_at_its_time_in_utc(self):
        self.assertEqual(t("2030-03-01T12:00:00"), last_run("at(2030-03-01T12:00:00)", None, None, None, CREATED, t("2030-03-01T11:00:00"), t("2030-03-01T13:00:00")))
        self.assertIsNone(last_run("at(2030-03-01T12:00:00)", None, None, None, CREATED, t("2030-03-01T12:00:00"), t("2030-03-01T13:00:00")))

    def test_reads_its_time_in_the_time_zone(self):
        # 12:00 in Berlin in winter is 11:00 UTC
        self.assertEqual(t("2030-01-15T11:00:00"), last_run("at(2030-01-15T12:00:00)", "Europe/Berlin", None, None, CREATED, t("2030-01-15T10:00:00"), t("2030-01-16T00:00:00")))


class RateExpressions(unittest.TestCase):
    def test_counts_periods_from_creation(self):
        self.assertEqual(CREATED + timedelta(minutes=10), last_run("rate(5 minutes)", None, None, None, CREATED, CREATED, CREATED + timedelta(minutes=12)))
        self.assertIsNone(last_run("rate(1 hour)", None, None, None, CREATED, CREATED, CREATED + timedelta(minutes=59)))

    def test_counts_periods_from_start_time(self):
        start = t("2030-01-01T00:30:00")
        self.assertEqual(t("2030-01-03T00:30:00"), last_run("rate(1 day)", None, start.timestamp(), None, CREATED, CREATED, t("2030-01-03T05:00:00")))

    def test_singular_and_plural_units_are_not_interchangeable(self):
        with self.assertRaises(ScheduleError):
            smsp_schedule.parse("rate(1 minutes)")
        with self.assertRaises(ScheduleError):
            smsp_schedule.parse("rate(2 hour)")


class CronExpressions(unittest.TestCase):
    def test_daily_in_a_time_zone_follows_daylight_saving(self):
        # 01:00 Berlin is 00:00 UTC in winter, 23:00 UTC the day before in summer
        self.assertEqual(t("2030-01-10T00:00:00"), last_run("cron(0 1 * * ? *)", "Europe/Berlin", None, None, CREATED, t("2030-01-09T12:00:00"), t("2030-01-10T06:00:00")))
        self.assertEqual(t("2030-07-09T23:00:00"), last_run("cron(0 1 * * ? *)", "Europe/Berlin", None, None, CREATED, t("2030-07-09T12:00:00"), t("2030-07-10T06:00:00")))

    def test_weekdays_count_from_sunday_as_1(self):
        # 2030-01-05 is a Saturday, 2030-01-07 a Monday
        weekday_mornings = "cron(0 8 ? * MON-FRI *)"
        self.assertEqual(t("2030-01-04T08:00:00"), last_run(weekday_mornings, None, None, None, CREATED, t("2030-01-04T00:00:00"), t("2030-01-06T23:00:00")))
        self.assertEqual(t("2030-01-07T08:00:00"), last_run("cron(0 8 ? * 2 *)", None, None, None, CREATED, t("2030-01-06T00:00:00"), t("2030-01-07T09:00:00")))

    def test_lists_ranges_and_steps(self):
        self.assertEqual(t("2030-01-01T10:45:00"), last_run("cron(0/15 9-10 * * ? *)", None, None, None, CREATED, CREATED, t("2030-01-01T12:00:00")))
        self.assertEqual(t("2030-01-01T18:30:00"), last_run("cron(30 6,18 * * ? *)", None, None, None, CREATED, CREATED, t("2030-01-01T20:00:00")))

    def test_last_day_nearest_weekday_and_nth_weekday(self):
        self.assertEqual(t("2030-01-31T00:00:00"), last_run("cron(0 0 L * ? *)", None, None, None, CREATED, CREATED, t("2030-02-15T00:00:00")))
        # the 15th of June 2030 is a Saturday: 15W runs on Friday the 14th
        self.assertEqual(t("2030-06-14T00:00:00"), last_run("cron(0 0 15W * ? *)", None, None, None, CREATED, t("2030-06-01T00:00:00"), t("2030-06-20T00:00:00")))
        # the second Tuesday of January 2030 is the 8th; the last Friday the 25th
        self.assertEqual(t("2030-01-08T00:00:00"), last_run("cron(0 0 ? * 3#2 *)", None, None, None, CREATED, CREATED, t("2030-01-20T00:00:00")))
        self.assertEqual(t("2030-01-25T00:00:00"), last_run("cron(0 0 ? * 6L *)", None, None, None, CREATED, CREATED, t("2030-01-30T00:00:00")))

    def test_the_year_field_limits_the_runs(self):
        self.assertIsNone(last_run("cron(0 0 * * ? 2031)", None, None, None, CREATED, CREATED, t("2030-12-31T23:59:00")))

    def test_start_and_end_time_bound_the_runs(self):
        daily = "cron(0 12 * * ? *)"
        self.assertIsNone(last_run(daily, None, t("2030-01-05T00:00:00").timestamp(), None, CREATED, CREATED, t("2030-01-04T23:00:00")))
        self.assertEqual(t("2030-01-03T12:00:00"), last_run(daily, None, None, "2030-01-03T13:00:00Z", CREATED, CREATED, t("2030-01-09T00:00:00")))

    def test_no_run_before_the_action_existed(self):
        self.assertIsNone(last_run("cron(0 1 * * ? *)", None, None, None, t("2030-01-01T02:00:00"), CREATED, t("2030-01-01T12:00:00")))

    def test_expressions_aws_rejects(self):
        for bad in ("cron(0 1 * * * *)", "cron(0 1 ? * ? *)", "cron(0 1 * *)", "cron(61 1 * * ? *)", "cron(0 1 ? * FUNDAY *)", "every day", None):
            with self.assertRaises(ScheduleError, msg=bad):
                smsp_schedule.parse(bad)
        with self.assertRaises(ScheduleError):
            smsp_schedule.parse("cron(0 1 * * ? *)", "Mars/Olympus")


if __name__ == "__main__":
    unittest.main()
