#include "calendar/lunar_calendar.h"

#include <cmath>

namespace dvchub::calendar {
namespace {

constexpr double pi = 3.14159265358979323846;

long whole(double value) { return static_cast<long>(std::floor(value)); }

// Julian day number of a Gregorian date (proleptic Julian before 15/10/1582).
long julian_day_from_date(int day, int month, int year) {
  long a = (14 - month) / 12;
  long y = year + 4800 - a;
  long m = month + 12 * a - 3;
  long julian_day = day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045;
  if (julian_day < 2299161) julian_day = day + (153 * m + 2) / 5 + 365 * y + y / 4 - 32083;
  return julian_day;
}

std::chrono::year_month_day date_from_julian_day(long julian_day) {
  long b = 0;
  long c = 0;
  if (julian_day > 2299160) {
    long a = julian_day + 32044;
    b = (4 * a + 3) / 146097;
    c = a - (b * 146097) / 4;
  } else {
    c = julian_day + 32082;
  }
  long d = (4 * c + 3) / 1461;
  long e = c - (1461 * d) / 4;
  long m = (5 * e + 2) / 153;
  long day = e - (153 * m + 2) / 5 + 1;
  long month = m + 3 - 12 * (m / 10);
  long year = b * 100 + d - 4800 + m / 10;
  return std::chrono::year_month_day{std::chrono::year(static_cast<int>(year)),
                                     std::chrono::month(static_cast<unsigned>(month)),
                                     std::chrono::day(static_cast<unsigned>(day))};
}

// Julian day (with fraction, UT) of the k-th new moon after 1/1/1900 13:52 UT.
double new_moon(long k) {
  double t = k / 1236.85;
  double t2 = t * t;
  double t3 = t2 * t;
  double degree = pi / 180;
  double julian_day = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  julian_day += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * degree);
  double sun_anomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  double moon_anomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  double latitude_argument = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  double correction = (0.1734 - 0.000393 * t) * std::sin(sun_anomaly * degree) +
                      0.0021 * std::sin(2 * degree * sun_anomaly);
  // Each line adds or subtracts its terms one by one, exactly as in the published algorithm.
  correction = correction - 0.4068 * std::sin(moon_anomaly * degree) + 0.0161 * std::sin(degree * 2 * moon_anomaly);
  correction = correction - 0.0004 * std::sin(degree * 3 * moon_anomaly);
  correction = correction + 0.0104 * std::sin(degree * 2 * latitude_argument) -
               0.0051 * std::sin(degree * (sun_anomaly + moon_anomaly));
  correction = correction - 0.0074 * std::sin(degree * (sun_anomaly - moon_anomaly)) +
               0.0004 * std::sin(degree * (2 * latitude_argument + sun_anomaly));
  correction = correction - 0.0004 * std::sin(degree * (2 * latitude_argument - sun_anomaly)) -
               0.0006 * std::sin(degree * (2 * latitude_argument + moon_anomaly));
  correction = correction + 0.0010 * std::sin(degree * (2 * latitude_argument - moon_anomaly)) +
               0.0005 * std::sin(degree * (2 * moon_anomaly + sun_anomaly));
  double delta_t = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
                           : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return julian_day + correction - delta_t;
}

// The local day (Julian day number) of the k-th new moon.
long new_moon_day(long k, double utc_offset_hours) { return whole(new_moon(k) + 0.5 + utc_offset_hours / 24); }

// The Sun's apparent longitude, radians in [0, 2π), at Julian day `julian_day` (UT).
double sun_longitude(double julian_day) {
  double t = (julian_day - 2451545.0) / 36525;
  double t2 = t * t;
  double degree = pi / 180;
  double mean_anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  double mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double equation_of_centre = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(degree * mean_anomaly);
  equation_of_centre += (0.019993 - 0.000101 * t) * std::sin(degree * 2 * mean_anomaly) +
                        0.000290 * std::sin(degree * 3 * mean_anomaly);
  double longitude = (mean_longitude + equation_of_centre) * degree;
  return longitude - pi * 2 * whole(longitude / (pi * 2));
}

// The solar term sector (0..11, 30° each) at the start of local day `day_number`.
long sun_sector(long day_number, double utc_offset_hours) {
  return whole(sun_longitude(day_number - 0.5 - utc_offset_hours / 24) / pi * 6);
}

// The first day of the lunar month that contains the winter solstice of Gregorian year `year`.
long lunar_month_11(int year, double utc_offset_hours) {
  long offset = julian_day_from_date(31, 12, year) - 2415021;
  long k = whole(offset / 29.530588853);
  long month_start = new_moon_day(k, utc_offset_hours);
  if (sun_sector(month_start, utc_offset_hours) >= 9) month_start = new_moon_day(k - 1, utc_offset_hours);
  return month_start;
}

// In a leap year starting at month 11 `month_11_start`: the offset of the first month without a major solar term.
int leap_month_offset(long month_11_start, double utc_offset_hours) {
  long k = whole((month_11_start - 2415021.076998695) / 29.530588853 + 0.5);
  int index = 1;
  long sector = sun_sector(new_moon_day(k + index, utc_offset_hours), utc_offset_hours);
  long last = 0;
  do {
    last = sector;
    ++index;
    sector = sun_sector(new_moon_day(k + index, utc_offset_hours), utc_offset_hours);
  } while (sector != last && index < 14);
  return index - 1;
}

}  // namespace

std::optional<std::chrono::year_month_day> lunar_to_solar(const LunarDate& date, double utc_offset_hours) {
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 30 || date.year < 1800 || date.year > 2199) {
    return std::nullopt;
  }
  long month_11_before = 0;
  long month_11_after = 0;
  if (date.month < 11) {
    month_11_before = lunar_month_11(date.year - 1, utc_offset_hours);
    month_11_after = lunar_month_11(date.year, utc_offset_hours);
  } else {
    month_11_before = lunar_month_11(date.year, utc_offset_hours);
    month_11_after = lunar_month_11(date.year + 1, utc_offset_hours);
  }
  long k = whole(0.5 + (month_11_before - 2415021.076998695) / 29.530588853);
  int offset = date.month - 11;
  if (offset < 0) offset += 12;
  if (month_11_after - month_11_before > 365) {
    int leap_offset = leap_month_offset(month_11_before, utc_offset_hours);
    int leap_month = leap_offset - 2;
    if (leap_month <= 0) leap_month += 12;
    if (date.leap_month && date.month != leap_month) return std::nullopt;
    if (date.leap_month || offset >= leap_offset) offset += 1;
  } else if (date.leap_month) {
    return std::nullopt;
  }
  long month_start = new_moon_day(k + offset, utc_offset_hours);
  long next_month_start = new_moon_day(k + offset + 1, utc_offset_hours);
  if (month_start + date.day - 1 >= next_month_start) return std::nullopt;
  return date_from_julian_day(month_start + date.day - 1);
}

}  // namespace dvchub::calendar
