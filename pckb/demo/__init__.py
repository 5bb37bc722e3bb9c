"""Demo data: fictional people and fictional decision numbers in realistic committee structures."""
