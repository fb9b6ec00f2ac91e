"""A regular time series: an hourly metrics table for a year, with a daily curve peaking at
14:00, a weekly and a yearly swing, 20% yearly growth and autocorrelated noise.

Run: ``python examples/time_series.py`` (offline, no key).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _measure import Measured, report

from syda import SyntheticDataGenerator

SCHEMA = {
    "metrics": {
        "series": {"ts": {"start": "2023-01-01", "end": "2023-12-31", "every": "1h"}},
        "columns": {
            "ts": {"type": "datetime", "primary_key": True},
            "requests": {
                "type": "integer",
                "min": 0,
                "level": 1000,
                "trend": 0.2,
                "daily": {"amplitude": 0.5, "peak": 14},
                "weekly": {"amplitude": 0.1, "peak": 2},
                "yearly": {"amplitude": 0.2, "peak": 7},
                "noise": 0.05,
                "ar1": 0.8,
            },
            "temperature": {"type": "float", "level": 20, "noise": 0.1, "ar1": 0.8, "round": 1},
        },
    }
}


def main() -> list[Measured]:
    gen = SyntheticDataGenerator(seed=7)
    df = gen.generate_related_data(SCHEMA)["metrics"]
    steps = df["ts"].diff().dropna()
    by_hour = df.groupby(df["ts"].dt.hour)["requests"].mean()
    t = df["temperature"].to_numpy()
    return report(
        f"time series, {len(df):,} hourly rows",
        [
            Measured("rows (a year of hours)", 8760, len(df), 0),
            Measured("steps of exactly 1 h", 1, float((steps == pd.Timedelta(hours=1)).mean()), 0),
            Measured("busiest hour", 14, int(by_hour.idxmax()), 1),
            Measured("quietest hour", 2, int(by_hour.idxmin()), 1),
            Measured("temperature lag-1 autocorrelation", 0.8, _lag1(t), 0.05),
        ],
    )


def _lag1(values: np.ndarray) -> float:
    return float(np.corrcoef(values[1:], values[:-1])[0, 1])


if __name__ == "__main__":
    main()
