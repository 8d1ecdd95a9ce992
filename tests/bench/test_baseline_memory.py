"""Every process that loads Django pays for what the apps import: pypinyin's phrase
dictionary (55 MB) is loaded only where initials are computed, not by the web workers, the
summary job or the exports (issue 19: the export's peak RSS counts the process's baseline)."""

import os
import subprocess
import sys

from bench.db import ROOT


def test_loading_the_apps_does_not_load_pypinyin():
    code = (
        "import django, sys; django.setup(); "
        "import camp.pinyin, trainees.selectors, trainees.views.roster; "
        "print('pypinyin' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "camp.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip().splitlines()[-1] == "False"


def test_initials_are_still_computed():
    from camp.pinyin import name_initials

    assert name_initials("单田芳") == "dtf ctf stf"
