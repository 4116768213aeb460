"""Travel APIs: airports, time zones, holidays, country facts, trip costs and daylight."""

from apigen_stream.library.builtin.travel.airports import (
    airport_distance_between,
    airport_lookup,
    airports_serving_city,
    nearest_airports_to_point,
)
from apigen_stream.library.builtin.travel.on_the_way import (
    fuel_economy_convert,
    hotel_stay_cost,
    jet_lag_recovery,
)
from apigen_stream.library.builtin.travel.planning import (
    country_travel_facts,
    destination_local_time,
    public_holidays_list,
    sunrise_sunset_times,
    time_zone_difference,
    trip_calendar_summary,
    trip_fuel_cost_estimate,
)

__all__ = [
    "airport_distance_between",
    "airport_lookup",
    "airports_serving_city",
    "country_travel_facts",
    "destination_local_time",
    "fuel_economy_convert",
    "hotel_stay_cost",
    "jet_lag_recovery",
    "nearest_airports_to_point",
    "public_holidays_list",
    "sunrise_sunset_times",
    "time_zone_difference",
    "trip_calendar_summary",
    "trip_fuel_cost_estimate",
]
