"""A paragraph shown in English on a translated page says so, in the reader's language.

Sphinx's ``translation_progress_classes`` adds the class ``untranslated``; a class alone is
invisible to a screen reader and easy to miss, so each such paragraph also starts with a label.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform


class LabelUntranslated(SphinxTransform):
    default_priority = 951  # after sphinx.transforms.i18n.AddTranslationClasses (950)

    def apply(self, **kwargs: object) -> None:
        for paragraph in self.document.findall(nodes.paragraph):
            if "untranslated" in paragraph["classes"]:
                label = _("Not translated yet, shown in English:")
                paragraph.insert(0, nodes.inline(label, label, classes=["untranslated-label"]))
