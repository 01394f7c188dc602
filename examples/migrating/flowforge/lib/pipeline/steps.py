"""FlowForge-style steps: plain functions, parameters in, return values out."""
import json


def extract(city: str, limit: int = 3) -> dict:
    readings = [round(10 + i * 1.5, 1) for i in range(limit)]
    print(f"extracted {len(readings)} readings for {city}")
    return {"city": city, "readings": readings}


def summarize(readings: str, unit: str) -> float:
    values = json.loads(readings)
    mean = sum(values) / len(values)
    print(f"mean of {values} = {mean} {unit}")
    return mean
