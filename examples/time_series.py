"""A regular time series: an hourly metrics table for a year, with a daily curve peaking at
14:00, a weekly and a yearly swing, 20% yearly growth and autocorrelated noise.

Run: python examples/time_series.py   (offline, no key)
"""

from __future__ import annotations

import numpy as np

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


def main() -> None:
    gen = SyntheticDataGenerator(seed=7)
    df = gen.generate_related_data(SCHEMA)["metrics"]
    steps = df["ts"].diff().dropna().unique()
    print("rows:", len(df), "(a year of hours: 8760); steps:", [str(s) for s in steps])
    by_hour = df.groupby(df["ts"].dt.hour)["requests"].mean()
    print("busiest hour:", int(by_hour.idxmax()), "(declared 14)")
    print("quietest hour:", int(by_hour.idxmin()), "(declared 2)")
    t = df["temperature"].to_numpy()
    print("temperature lag-1 autocorrelation:", f"{np.corrcoef(t[1:], t[:-1])[0, 1]:.2f} (ar1 0.8)")
    first, last = df["requests"].iloc[:720].mean(), df["requests"].iloc[-720:].mean()
    print("December / January mean:", f"{last / first:.2f}")


if __name__ == "__main__":
    main()
