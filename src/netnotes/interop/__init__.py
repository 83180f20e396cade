"""Other tools' files in and out (vCard, CSV, ICS, JSON); may import every stage below, not cli.

Modules: importer (import_files, plan_import, apply_plan, ImportOptions, ImportResult), summary
(summary, result_json), export (export_vcard, export_ics, export_csv, export_json, rows), readers
vcard and csvfiles (parse_map), records (Person, decode), newnote, and adopt.
"""
