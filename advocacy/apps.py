from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Implementation and advocacy")

    def ready(self):
        # The PDFs of the matrix and the factsheets are made by the document job of submissions.
        from advocacy.documents import register_document_kinds

        register_document_kinds()
