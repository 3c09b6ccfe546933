import datetime

from clusterportal.lib.dates import add_months


def test_it_moves_a_date_by_whole_months_across_years():
    assert add_months(datetime.date(2027, 3, 19), -6) == datetime.date(2026, 9, 19)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_it_ends_on_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2027, 8, 31), -6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2028, 8, 31), -6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 5, 31), -3) == datetime.date(2027, 2, 28)


def test_zero_months_is_the_same_day():
    assert add_months(datetime.date(2027, 1, 31), 0) == datetime.date(2027, 1, 31)
