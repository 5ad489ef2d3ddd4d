"""Exports that need Qt: the report as ODT and PDF (`report_documents`) and the self-contained web
page with the timeline drawn by the screen's painter (`html_page`). `sijill.db.formats.registry` names them;
their content comes from `sijill.db.formats.report`, which needs no Qt."""
