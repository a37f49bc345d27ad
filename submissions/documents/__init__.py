"""The submission document: its content, and the PDF and DOCX made from it.

``content`` builds one ``DocumentContent`` from a submission (cheap, no heavy imports); ``pdf`` and
``docx`` are the only modules that import WeasyPrint and the DOCX library, and only inside functions
run by the Celery job or the ``render_submission`` command, never when the web process starts.
"""
