"""Environment APIs: air quality, weather indices, emissions, energy, water and noise."""

from apigen_stream.library.builtin.environment.air import (
    car_trip_co2,
    electricity_co2,
    us_air_quality_index,
)
from apigen_stream.library.builtin.environment.climate import (
    beaufort_wind_force,
    dew_point,
    heat_index,
    heating_cooling_degree_days,
    noise_exposure_limit,
    rainwater_harvest,
    solar_pv_output,
    uv_index_advice,
    wind_chill,
)

__all__ = [
    "beaufort_wind_force",
    "car_trip_co2",
    "dew_point",
    "electricity_co2",
    "heat_index",
    "heating_cooling_degree_days",
    "noise_exposure_limit",
    "rainwater_harvest",
    "solar_pv_output",
    "us_air_quality_index",
    "uv_index_advice",
    "wind_chill",
]
