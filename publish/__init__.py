"""What the warehouse sends back out to the units that report to it (plain Python, no Dagster)."""
