"""Each views module keeps its own `urlpatterns`, so that screen families grow independently."""

import importlib

_MODULES = ["overview", "selection", "roster", "groups", "conduct", "homes"]

urlpatterns: list = []
for _name in _MODULES:
    try:
        _module = importlib.import_module(f"trainees.views.{_name}")
    except ModuleNotFoundError as error:
        if error.name != f"trainees.views.{_name}":
            raise
        continue
    urlpatterns += _module.urlpatterns
