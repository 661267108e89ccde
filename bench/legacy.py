"""The extractor as it was before the rebuild, callable from the benches for comparison.

The code of commit `LEGACY_COMMIT` is unpacked with `git archive` into a temporary folder
and run in a child process (two versions of the same packages cannot share one
interpreter); conversations go to it as JSON lines, its signals and its own extraction
time come back. Needs the repository's history (any clone has it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from plans.catalogue.models import Catalogue
from plans.extraction.conversation import ConversationDocument
from plans.extraction.port import ExtractionRun
from plans.extraction.signals import Signals

LEGACY_COMMIT = "967cd0f"  # the last landed commit before the extraction rebuild
ROOT = Path(__file__).resolve().parents[1]
WORKER = """
import json, sys, time
from plans.catalogue.models import Catalogue
from plans.extraction.conversation import ConversationDocument
from plans.extraction.rules.extractor import RuleExtractor
extractor = RuleExtractor()
for line in sys.stdin:
    request = json.loads(line)
    document = ConversationDocument.model_validate(request["document"])
    catalogue = Catalogue.model_validate(request["catalogue"])
    started = time.perf_counter()
    signals = extractor.extract(document, catalogue).signals
    elapsed = time.perf_counter() - started
    print(json.dumps({"signals": signals.model_dump(mode="json"), "seconds": elapsed}), flush=True)
"""


class LegacyExtractor:
    """The old rule extractor behind the `Extractor` port; `last_seconds` is its own
    extraction time for the last conversation (without the pipe)."""

    def __init__(self, commit: str = LEGACY_COMMIT) -> None:
        self.name = f"rules@{commit}"
        self.last_seconds = 0.0
        self._folder = tempfile.TemporaryDirectory(prefix="legacy-extractor-")
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "plans", "app", "scoring"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", self._folder.name], input=archive, check=True)
        self._process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=self._folder.name,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": self._folder.name, "PATH": "/usr/bin:/bin"},
        )

    def extract(self, conversation: ConversationDocument, catalogue: Catalogue) -> ExtractionRun:
        assert self._process.stdin is not None and self._process.stdout is not None
        request = {
            "document": conversation.model_dump(mode="json"),
            "catalogue": catalogue.model_dump(mode="json"),
        }
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        self.last_seconds = float(answer["seconds"])
        return ExtractionRun(signals=Signals.model_validate(answer["signals"]), extractor=self.name)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)
        self._folder.cleanup()
