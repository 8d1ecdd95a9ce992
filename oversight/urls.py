"""Each views module keeps its own `urlpatterns`; every module of oversight/views/ is included.
The paths and names are those the pages had in the assessment app."""

import importlib
import pkgutil

from . import views

urlpatterns: list = []
for _module_info in sorted(pkgutil.iter_modules(views.__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{views.__name__}.{_module_info.name}")
    urlpatterns += getattr(_module, "urlpatterns", [])
