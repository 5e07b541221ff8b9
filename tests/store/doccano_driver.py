"""Run inside a Python that has doccano 1.8 installed: import a JSONL file into a new sequence
labelling project through doccano's own import pipeline (the code its upload form runs), then
export the project through doccano's own export pipeline, and print the exported JSONL.

    python doccano_driver.py WORKDIR FILE.jsonl [--grapheme]

WORKDIR holds doccano's SQLite database and media. Used by test_doccano.py (doccano is a server
with many dependencies, so it lives in a virtual environment of its own, DOCCANO_PYTHON)."""

import json
import os
import sys
import zipfile

work, path = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
import backend  # noqa: E402

sys.path.insert(0, os.path.dirname(backend.__file__))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"
os.environ["DATABASE_URL"] = f"sqlite:///{os.path.join(work, 'doccano.sqlite3')}"
os.environ.setdefault("MEDIA_ROOT", os.path.join(work, "media"))

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.MEDIA_ROOT = os.path.join(work, "media")
os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
call_command("migrate", verbosity=0)
call_command("create_roles")  # what `doccano init` does after migrating
from django.contrib.auth import get_user_model  # noqa: E402

from data_export.celery_tasks import export_dataset  # noqa: E402
from data_import.datasets import load_dataset  # noqa: E402
from data_import.pipeline.catalog import create_file_format  # noqa: E402
from data_import.pipeline.readers import FileName  # noqa: E402
from projects.models import ProjectType, SequenceLabelingProject  # noqa: E402

user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
project = SequenceLabelingProject.objects.create(
    name="hamish",
    project_type=ProjectType.SEQUENCE_LABELING,
    allow_overlapping=True,  # "Allow overlapping spans", as the README says to tick
    grapheme_mode="--grapheme" in sys.argv,
    created_by=user,
)
project.add_admin()
fmt = create_file_format("JSONL")
files = [FileName(full_path=path, generated_name=os.path.basename(path), upload_name=os.path.basename(path))]
dataset = load_dataset(
    "SequenceLabeling", fmt, files, project, column_data="text", column_label="label",
    encoding="utf_8",  # the upload form's encoding: UTF-8, as the README says to choose
)
dataset.save(user, batch_size=500)
errors = [e.dict() for e in dataset.errors]
zip_path = export_dataset(project.id, "JSONL", confirmed_only=False)
with zipfile.ZipFile(zip_path) as z:
    names = z.namelist()
    exported = z.read(names[0]).decode("utf-8")
print(json.dumps({"errors": errors, "files": names, "jsonl": exported}))
