from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks, soak and outage tooling, synthetic data: never on a
    request path, kept apart from the apps that serve the site."""

    name = "bench"
    verbose_name = "bench"
