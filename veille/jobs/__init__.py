"""Jobs: the units of work that `veille run` schedules and `veille demo` runs once, in order."""
