from tests.tasks.conftest import board, columns, crew  # noqa: F401 - shared fixtures
